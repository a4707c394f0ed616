using Carrot.Bench.Infrastructure;
using Carrot.Bench.Reporting;

namespace Carrot.Bench.Scenarios;

/// <summary>
/// 20,000 no-op tasks already queued; start carrotd (worker concurrency 8, then 64); time until all succeeded. Runs
/// on each store of --store, side by side and interleaved run by run (so that a shared machine's load falls on both
/// alike); PostgreSQL's figures are also given as a share of SQLite's (issue 12's target: within 2×, at least 50 %).
/// </summary>
internal sealed class DrainScenario : IScenario
{
    public const int Tasks = 20_000;

    public string Name => "drain";

    public async Task<IReadOnlyList<Measurement>> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var stores = context.Options.Stores;
        var enqueue = stores.ToDictionary(s => s, _ => new List<double>());
        var measurements = new List<Measurement>();
        foreach (var concurrency in new[] { 8, 64 })
        {
            var wall = stores.ToDictionary(s => s, _ => new List<double>());
            var recorded = stores.ToDictionary(s => s, _ => new List<double>());
            var usage = new Dictionary<BenchStore, ResourceUsage?>();
            for (var run = 0; run < context.Options.Runs; run++)
            {
                foreach (var store in stores)
                {
                    await using var world = await context.NewWorldAsync($"drain{concurrency}", store, cancellationToken);
                    var result = await DrainRun.RunAsync(world, Tasks, concurrency, 1, context, cancellationToken);
                    enqueue[store].Add(result.EnqueueRate);
                    wall[store].Add(result.WallRate);
                    recorded[store].Add(result.RecordedRate);
                    usage[store] = result.Usage;
                    Console.Error.WriteLine($"  drain{StoreLabel(context, store)} c={concurrency} run {run + 1}: {result.WallRate:N0} tasks/s with startup, {result.RecordedRate:N0} first start to last finish; {result.Usage}");
                }
            }

            foreach (var store in stores)
            {
                var label = StoreLabel(context, store);
                var fromStart = new Measurement(Name, $"drain {Tasks:N0}, concurrency {concurrency}, from carrotd start{label}", Stats.Median(wall[store]), "tasks/s", wall[store])
                    .AtLeast(5000, "tasks/s").Versus(context.Ceilings.Pipeline, "pipeline ceiling");
                if (store == BenchStore.Postgres && wall.TryGetValue(BenchStore.Sqlite, out var sqliteRuns))
                {
                    // Issue 12: PostgreSQL within 2× of SQLite on the same machine.
                    var sqlite = Stats.Median(sqliteRuns);
                    fromStart = fromStart with { Target = ">= 50 % of SQLite's", Met = fromStart.Value >= sqlite / 2, CeilingRatio = fromStart.Value / sqlite, CeilingName = "SQLite's drain" };
                }

                measurements.Add(fromStart with { Note = usage.GetValueOrDefault(store) is { } u ? $"last run: {u}" : null });
                measurements.Add(new Measurement(Name, $"drain {Tasks:N0}, concurrency {concurrency}, first start to last finish{label}", Stats.Median(recorded[store]), "tasks/s", recorded[store])
                    .Versus(store == BenchStore.Sqlite ? context.Ceilings.SqliteSingle : null, "SQLite 1 task/txn"));
            }
        }

        foreach (var store in stores)
        {
            measurements.Add(new Measurement(Name, $"bulk enqueue {Tasks:N0} (EnqueueManyAsync, chunks of 5,000, no consumer){StoreLabel(context, store)}", Stats.Median(enqueue[store]), "tasks/s", enqueue[store])
                .AtLeast(8000, "tasks/s").Versus(context.Ceilings.BrokerPublish, "RabbitMQ publish ceiling"));
        }

        return measurements;
    }

    /// <summary>"" when only SQLite is measured (the figures read as before), else " [sqlite]" / " [postgres]".</summary>
    public static string StoreLabel(ScenarioContext context, BenchStore store) =>
        context.Options.Stores.Count == 1 && store == BenchStore.Sqlite ? "" : $" [{store.ToString().ToLowerInvariant()}]";
}

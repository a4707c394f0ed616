using System.Globalization;
using Carrot.Bench.Infrastructure;
using Carrot.Bench.Reporting;
using Carrot.Records;
using Carrot.Tasks;

namespace Carrot.Bench.Scenarios;

/// <summary>
/// An idle daemon, one task at a time: enqueue→start is measured to the task's own clock reading
/// (MyLib.Bench.Now returns DateTime.UtcNow ticks, 100 ns), enqueue→finish to the row's finished_at (1 ms). On each
/// store of --store. On PostgreSQL finished_at is the database's clock, on the same machine here.
/// </summary>
internal sealed class LatencyScenario : IScenario
{
    private const int Tasks = 500;

    public string Name => "latency";

    public async Task<IReadOnlyList<Measurement>> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var measurements = new List<Measurement>();
        foreach (var store in context.Options.Stores)
        {
            measurements.AddRange(await RunAsync(context, store, cancellationToken));
        }

        return measurements;
    }

    private async Task<IReadOnlyList<Measurement>> RunAsync(ScenarioContext context, BenchStore store, CancellationToken cancellationToken)
    {
        var label = DrainScenario.StoreLabel(context, store);
        var stats = new Dictionary<string, List<double>>();
        for (var run = 0; run < context.Options.Runs; run++)
        {
            await using var world = await context.NewWorldAsync("latency", store, cancellationToken);
            await using var client = await world.CreateClientAsync(cancellationToken);
            await using var daemon = await world.StartDaemonAsync("default", cancellationToken);
            var start = new List<double>();
            var finish = new List<double>();
            var call = new List<double>();
            for (var i = -20; i < Tasks; i++)
            {
                var before = DateTimeOffset.UtcNow;
                var queued = await client.EnqueueAsync("MyLib.Bench.Now", cancellationToken: cancellationToken);
                var returned = DateTimeOffset.UtcNow;
                TaskRecord? task;
                while ((task = await client.GetTaskAsync(queued.TaskId, cancellationToken)) is not { } t || !t.State.IsTerminal())
                {
                    await Task.Delay(2, cancellationToken);
                }

                if (i < 0)
                {
                    continue; // warm-up: JIT, connections, caches
                }

                var ranAt = long.Parse(task.Result!, CultureInfo.InvariantCulture);
                start.Add((ranAt - before.UtcTicks) / (double)TimeSpan.TicksPerMillisecond);
                finish.Add((task.FinishedAt!.Value - before).TotalMilliseconds);
                call.Add((returned - before).TotalMilliseconds);
            }

            Add(stats, "enqueue→start p50", Stats.Percentile(start, 50));
            Add(stats, "enqueue→start p95", Stats.Percentile(start, 95));
            Add(stats, "enqueue→start p99", Stats.Percentile(start, 99));
            Add(stats, "enqueue→start max", start.Max());
            Add(stats, "enqueue→finish p50", Stats.Percentile(finish, 50));
            Add(stats, "enqueue→finish p95", Stats.Percentile(finish, 95));
            Add(stats, "enqueue→finish p99", Stats.Percentile(finish, 99));
            Add(stats, "enqueue→finish max", finish.Max());
            Add(stats, "EnqueueAsync call p50", Stats.Percentile(call, 50));
            Console.Error.WriteLine($"  latency{label} run {run + 1}: start p50 {stats["enqueue→start p50"][^1]:0.00} ms, p99 {stats["enqueue→start p99"][^1]:0.00} ms");
        }

        return stats.Select(s =>
        {
            var m = new Measurement(Name, $"{s.Key} (idle, {Tasks} one at a time){label}", Stats.Median(s.Value), "ms", s.Value);
            return s.Key switch
            {
                "enqueue→start p50" => m.AtMost(2, "ms"),
                "enqueue→start p99" => m.AtMost(10, "ms"),
                _ => m,
            };
        }).ToList();
    }

    private static void Add(Dictionary<string, List<double>> stats, string key, double value)
    {
        if (!stats.TryGetValue(key, out var list))
        {
            stats[key] = list = [];
        }

        list.Add(value);
    }
}

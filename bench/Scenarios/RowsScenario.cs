using System.Diagnostics;
using Carrot.Bench.Infrastructure;
using Carrot.Bench.Reporting;
using Carrot.Records;
using Carrot.Tasks;

namespace Carrot.Bench.Scenarios;

/// <summary>
/// Issue 12 on each store of --store: carrot tasks list (plain, and filtered by state and worker) and carrot status
/// as processes, the same store calls in-process, and a 20,000-task drain at concurrency 8 — on an empty table and
/// on one holding 1,000,000 realistic rows (<see cref="TableFill"/>). Target: drain at 1M no more than 10 % slower.
/// </summary>
internal sealed class RowsScenario : IScenario
{
    private const int Rows = 1_000_000;
    private const int Reads = 5;
    private const int Calls = 20;
    private const int Concurrency = 8;

    public string Name => "rows";

    public async Task<IReadOnlyList<Measurement>> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var measurements = new List<Measurement>();
        foreach (var store in context.Options.Stores)
        {
            var label = $" [{store.ToString().ToLowerInvariant()}]";
            var empty = await MeasureAsync(context, store, 0, cancellationToken);
            var full = await MeasureAsync(context, store, Rows, cancellationToken);
            foreach (var (key, fullValues) in full.Reads)
            {
                var emptyValues = empty.Reads[key];
                measurements.Add(new Measurement(Name, $"{key}, empty table{label}", Stats.Median(emptyValues), "ms", emptyValues));
                var m = new Measurement(Name, $"{key}, {Rows:N0} rows{label}", Stats.Median(fullValues), "ms", fullValues);
                measurements.Add(key.StartsWith("carrot ", StringComparison.Ordinal) && !key.Contains("--status", StringComparison.Ordinal) ? m.AtMost(200, "ms") : m);
            }

            var emptyRate = Stats.Median(empty.Drain);
            measurements.Add(new Measurement(Name, $"drain {DrainScenario.Tasks:N0} at concurrency {Concurrency}, empty table{label}", emptyRate, "tasks/s", empty.Drain) { Note = $"last run: {empty.Usage}" });
            var fullRate = Stats.Median(full.Drain);
            measurements.Add(new Measurement(Name, $"drain {DrainScenario.Tasks:N0} at concurrency {Concurrency}, {Rows:N0} rows{label}", fullRate, "tasks/s", full.Drain)
            {
                Target = ">= 90 % of the empty table's",
                Met = fullRate >= 0.9 * emptyRate,
                CeilingRatio = fullRate / emptyRate,
                CeilingName = "the empty table's drain",
                Note = $"filled in {full.FillSeconds:0} s; last run: {full.Usage}",
            });
        }

        return measurements;
    }

    private sealed record Figures(Dictionary<string, List<double>> Reads, List<double> Drain, ResourceUsage? Usage, double FillSeconds);

    private static async Task<Figures> MeasureAsync(ScenarioContext context, BenchStore store, int rows, CancellationToken cancellationToken)
    {
        var name = rows == 0 ? "rows-empty" : "rows-full";
        var reads = new Dictionary<string, List<double>>();
        var drain = new List<double>();
        ResourceUsage? usage = null;
        await using var world = await context.NewWorldAsync(name, store, cancellationToken);
        await using (var client = await world.CreateClientAsync(cancellationToken))
        {
            await client.AddWorkerAsync("bench", Concurrency, cancellationToken: cancellationToken);
        }

        await TableFill.AddWorkersAsync(world, cancellationToken);

        var fill = Stopwatch.StartNew();
        if (rows > 0)
        {
            await TableFill.FillAsync(world, rows, cancellationToken);
            Console.Error.WriteLine($"  rows [{store}]: {rows:N0} rows written in {fill.Elapsed.TotalSeconds:0.0} s");
        }

        var fillSeconds = fill.Elapsed.TotalSeconds;
        for (var run = 0; run < context.Options.Runs; run++)
        {
            Add(reads, "carrot tasks list (median of 5)", await CliScenario.TimeAsync(world, Reads, cancellationToken, "tasks", "list"));
            Add(reads, "carrot tasks list --status failed --worker files (median of 5)", await CliScenario.TimeAsync(world, Reads, cancellationToken, "tasks", "list", "--status", "failed", "--worker", "files"));
            Add(reads, "carrot status (median of 5)", await CliScenario.TimeAsync(world, Reads, cancellationToken, "status"));
            await using var client = await world.CreateClientAsync(cancellationToken);
            Add(reads, $"store call ListTasksAsync, newest 50 (median of {Calls})", await TimeCallsAsync(() => client.ListTasksAsync(new TaskQuery(), cancellationToken)));
            Add(reads, $"store call ListTasksAsync, failed of worker files (median of {Calls})", await TimeCallsAsync(() => client.ListTasksAsync(new TaskQuery { State = TaskState.Failed, Worker = "files" }, cancellationToken)));
            Add(reads, $"store call GetStatusAsync (median of {Calls})", await TimeCallsAsync(() => client.GetStatusAsync(cancellationToken)));
        }

        for (var run = 0; run < context.Options.Runs; run++)
        {
            // The empty table's drains each get a fresh world, so that every one starts from an empty table.
            await using var fresh = rows == 0 && run > 0 ? await context.NewWorldAsync(name, store, cancellationToken) : null;
            var result = await DrainRun.RunAsync(fresh ?? world, DrainScenario.Tasks, Concurrency, 1, context, cancellationToken);
            drain.Add(result.WallRate);
            usage = result.Usage;
            Console.Error.WriteLine($"  rows [{store}] {rows:N0} rows, drain run {run + 1}: {result.WallRate:N0} tasks/s; {result.Usage}");
        }

        return new Figures(reads, drain, usage, fillSeconds);
    }

    private static async Task<double> TimeCallsAsync<T>(Func<Task<T>> call)
    {
        await call(); // warm-up: connection, plan
        var times = new List<double>();
        for (var i = 0; i < Calls; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            await call();
            times.Add(stopwatch.Elapsed.TotalMilliseconds);
        }

        return Stats.Median(times);
    }

    private static void Add(Dictionary<string, List<double>> figures, string key, double value)
    {
        if (!figures.TryGetValue(key, out var list))
        {
            figures[key] = list = [];
        }

        list.Add(value);
    }
}

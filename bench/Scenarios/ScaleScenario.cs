using System.Diagnostics;
using Carrot.Bench.Infrastructure;
using Carrot.Bench.Reporting;

namespace Carrot.Bench.Scenarios;

/// <summary>
/// 1,000,000 finished rows written straight into the tasks table (97% succeeded, 3% failed, over 30 days); then
/// carrot tasks list and carrot status as processes, and a 20,000-task drain on that table versus an empty one.
/// </summary>
internal sealed class ScaleScenario : IScenario
{
    private const int Rows = 1_000_000;
    private const int Reads = 5;

    public string Name => "scale";

    public async Task<IReadOnlyList<Measurement>> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var list = new List<double>();
        var status = new List<double>();
        await using var world = await context.NewWorldAsync("scale", cancellationToken);
        await using (var client = await world.CreateClientAsync(cancellationToken))
        {
            await client.AddWorkerAsync("bench", 8, cancellationToken: cancellationToken);
        }

        var fill = Stopwatch.StartNew();
        // Spread over the last 6 days, inside every retention period: this measures the table's size, not the
        // daemon pruning it (which a table of old rows would start at once).
        await world.ExecuteAsync(FillSql(DateTimeOffset.UtcNow.AddDays(-6).ToUnixTimeMilliseconds()), cancellationToken);
        Console.Error.WriteLine($"  scale: {Rows:N0} rows written in {fill.Elapsed.TotalSeconds:0.0} s");
        for (var run = 0; run < context.Options.Runs; run++)
        {
            list.Add(await CliScenario.TimeAsync(world, Reads, cancellationToken, "tasks", "list"));
            status.Add(await CliScenario.TimeAsync(world, Reads, cancellationToken, "status"));
        }

        var full = await DrainRun.RunAsync(world, DrainScenario.Tasks, 8, cancellationToken);
        await using var emptyWorld = await context.NewWorldAsync("scale-empty", cancellationToken);
        var empty = await DrainRun.RunAsync(emptyWorld, DrainScenario.Tasks, 8, cancellationToken);
        return
        [
            new Measurement(Name, $"carrot tasks list, {Rows:N0} rows (median of {Reads})", Stats.Median(list), "ms", list).AtMost(200, "ms"),
            new Measurement(Name, $"carrot status, {Rows:N0} rows (median of {Reads})", Stats.Median(status), "ms", status).AtMost(200, "ms"),
            new Measurement(Name, $"drain {DrainScenario.Tasks:N0} at concurrency 8 on {Rows:N0} rows", full.WallRate, "tasks/s", [full.WallRate]) { Note = "1 run" },
            new Measurement(Name, $"drain {DrainScenario.Tasks:N0} at concurrency 8 on an empty table", empty.WallRate, "tasks/s", [empty.WallRate]) { Note = "1 run" },
        ];
    }

    private static string FillSql(long start) => $$"""
        BEGIN;
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {{Rows}})
        INSERT INTO tasks (kallable, args, kwargs, worker, status, priority, attempts, max_attempts, created_at, queued_at,
                           published_at, started_at, finished_at, node, result, error_type, error_message)
        SELECT CASE WHEN i % 33 = 0 THEN 'MyLib.Jobs.Explode' ELSE 'MyLib.Bench.Noop' END, '[]', '{}',
               CASE WHEN i % 5 = 0 THEN 'bench' ELSE 'default' END,
               CASE WHEN i % 33 = 0 THEN 'failed' ELSE 'succeeded' END, 0, 1, 3,
               {{start}} + i * 518, {{start}} + i * 518, {{start}} + i * 518 + 1, {{start}} + i * 518 + 2, {{start}} + i * 518 + 3,
               'bench:1', CASE WHEN i % 33 = 0 THEN NULL ELSE 'null' END,
               CASE WHEN i % 33 = 0 THEN 'System.InvalidOperationException' END,
               CASE WHEN i % 33 = 0 THEN 'Exploded: boom' END
        FROM n;
        COMMIT;
        """;
}

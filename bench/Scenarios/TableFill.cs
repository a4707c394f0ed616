using System.Globalization;
using Carrot.Bench.Infrastructure;

namespace Carrot.Bench.Scenarios;

/// <summary>
/// Writes a realistic history straight into the tasks table in one statement: 1 in 33 failed, 1 in 1,000 still
/// queued (on the paused worker "reports", confirmed, so nothing runs them), 1 in 1,000 scheduled a month ahead, the
/// rest succeeded; spread over the workers default, bench, files, emails and reports, and over the last 6 days
/// (inside every retention period, so the daemon does not start pruning). The trigger-kept counts match the rows:
/// on SQLite the insert triggers keep them; on PostgreSQL the per-row trigger is held off for the bulk insert and
/// task_counts and task_throughput rebuilt from the rows, spread over the 16 slots as many writers would leave them, then VACUUM ANALYZE
/// (what autovacuum does after such an insert).
/// </summary>
internal static class TableFill
{
    public static readonly string[] Workers = ["files", "emails", "reports"];

    /// <summary>The workers the rows name besides default and bench; "reports" paused.</summary>
    public static async Task AddWorkersAsync(BenchWorld world, CancellationToken cancellationToken)
    {
        await using var client = await world.CreateClientAsync(cancellationToken);
        var existing = (await client.ListWorkersAsync(cancellationToken)).Select(w => w.Name).ToHashSet();
        foreach (var worker in Workers.Where(w => !existing.Contains(w)))
        {
            await client.AddWorkerAsync(worker, 4, cancellationToken: cancellationToken);
        }

        await client.PauseWorkerAsync("reports", cancellationToken);
    }

    /// <summary>Writes <paramref name="rows"/> rows; the workers must exist (<see cref="AddWorkersAsync"/>).</summary>
    public static async Task FillAsync(BenchWorld world, int rows, CancellationToken cancellationToken)
    {
        var start = DateTimeOffset.UtcNow.AddDays(-6).ToUnixTimeMilliseconds();
        var later = DateTimeOffset.UtcNow.AddDays(30).ToUnixTimeMilliseconds();
        if (world.Store == BenchStore.Sqlite)
        {
            await world.ExecuteAsync($"""
                BEGIN;
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows})
                INSERT INTO tasks {Columns}
                {Select(start, later)}
                FROM n;
                COMMIT;
                """, cancellationToken);
        }
        else
        {
            await world.ExecuteAsync($"""
                BEGIN;
                ALTER TABLE tasks DISABLE TRIGGER tr_task_counts_insert;
                ALTER TABLE tasks DISABLE TRIGGER tr_task_throughput_insert;
                INSERT INTO tasks {Columns}
                {Select(start, later)}
                FROM generate_series(1::bigint, {rows}::bigint) AS n(i);
                ALTER TABLE tasks ENABLE TRIGGER tr_task_counts_insert;
                ALTER TABLE tasks ENABLE TRIGGER tr_task_throughput_insert;
                INSERT INTO task_counts (worker, status, slot, count)
                SELECT worker, status, id % 16, count(*) FROM tasks GROUP BY 1, 2, 3
                ON CONFLICT (worker, status, slot) DO UPDATE SET count = task_counts.count + excluded.count;
                INSERT INTO task_throughput (minute, worker, status, slot, count)
                SELECT finished_at / 60000, worker, status, id % 16, count(*) FROM tasks
                WHERE status IN ('succeeded', 'failed') AND finished_at IS NOT NULL GROUP BY 1, 2, 3, 4
                ON CONFLICT (minute, worker, status, slot) DO UPDATE SET count = task_throughput.count + excluded.count;
                COMMIT;
                """, cancellationToken);
            await world.ExecuteAsync("VACUUM ANALYZE tasks", cancellationToken);
            await world.ExecuteAsync("VACUUM ANALYZE task_counts", cancellationToken);
            await world.ExecuteAsync("VACUUM ANALYZE task_throughput", cancellationToken);
        }

        var counted = await world.ScalarAsync<long>("SELECT coalesce(sum(count), 0) FROM task_counts", cancellationToken);
        var actual = await world.ScalarAsync<long>("SELECT count(*) FROM tasks", cancellationToken);
        var finished = await world.ScalarAsync<long>("SELECT coalesce(sum(count), 0) FROM task_throughput", cancellationToken);
        var finishedRows = await world.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE status IN ('succeeded', 'failed')", cancellationToken);
        if (counted != actual || finished != finishedRows)
        {
            throw new InvalidOperationException($"task_counts says {counted} tasks (the table holds {actual}); task_throughput says {finished} finished ({finishedRows}).");
        }
    }

    private const string Columns = """
        (kallable, args, kwargs, worker, status, priority, attempts, max_attempts, created_at, queued_at,
         published_at, started_at, finished_at, node, result, error_type, error_message, run_at)
        """;

    private static string Select(long start, long later)
    {
        var s = start.ToString(CultureInfo.InvariantCulture);
        var l = later.ToString(CultureInfo.InvariantCulture);
        return $$"""
            SELECT CASE WHEN i % 33 = 0 THEN 'MyLib.Jobs.Explode' ELSE 'MyLib.Bench.Noop' END, '[]', '{}',
                   CASE WHEN i % 1000 = 0 THEN 'reports' WHEN i % 5 = 0 THEN 'bench' WHEN i % 5 = 1 THEN 'files'
                        WHEN i % 5 = 2 THEN 'emails' ELSE 'default' END,
                   CASE WHEN i % 1000 = 0 THEN 'queued' WHEN i % 1000 = 500 THEN 'scheduled' WHEN i % 33 = 0 THEN 'failed'
                        ELSE 'succeeded' END,
                   0, CASE WHEN i % 1000 IN (0, 500) THEN 0 WHEN i % 33 = 0 THEN 3 ELSE 1 END, 3,
                   {{s}} + i * 518,
                   CASE WHEN i % 1000 = 500 THEN NULL ELSE {{s}} + i * 518 END,
                   CASE WHEN i % 1000 = 500 THEN NULL ELSE {{s}} + i * 518 + 1 END,
                   CASE WHEN i % 1000 IN (0, 500) THEN NULL ELSE {{s}} + i * 518 + 2 END,
                   CASE WHEN i % 1000 IN (0, 500) THEN NULL ELSE {{s}} + i * 518 + 3 END,
                   CASE WHEN i % 1000 IN (0, 500) THEN NULL ELSE 'bench-' || (i % 3) || ':1' END,
                   CASE WHEN i % 1000 IN (0, 500) OR i % 33 = 0 THEN NULL ELSE 'null' END,
                   CASE WHEN i % 33 = 0 AND i % 1000 NOT IN (0, 500) THEN 'System.InvalidOperationException' END,
                   CASE WHEN i % 33 = 0 AND i % 1000 NOT IN (0, 500) THEN 'Exploded: boom' END,
                   CASE WHEN i % 1000 = 500 THEN {{l}} END
            """;
    }
}

using Carrot.Records;
using Carrot.Storage.Rows;
using Carrot.Tasks;
using Dapper;

namespace Carrot.Storage.Monitoring;

/// <summary>
/// The reads the web monitor needs beyond the CLI's: keyset pages of tasks under a filter, counts for a bulk action's
/// confirmation, the ids a bulk action works through, finished-task throughput for the charts, a running task's new
/// log lines, and the deletion of chosen finished tasks. Every other read and every action goes through <c>CarrotClient</c>.
/// </summary>
internal sealed class MonitorStore(CarrotDatabase database, TimeProvider clock)
{
    // The WHERE of the partial index ix_tasks_finished (status, finished_at), repeated word for word: SQLite uses a
    // partial index only when the query's WHERE contains its terms, and would otherwise scan every succeeded task.
    private const string FinishedIndex = "status IN ('succeeded', 'failed', 'cancelled')";

    /// <summary>Up to <paramref name="limit"/> tasks under the filter with an id below <paramref name="beforeId"/>, newest first.</summary>
    public Task<IReadOnlyList<TaskRecord>> PageAsync(MonitorTaskFilter filter, long? beforeId, int limit, CancellationToken cancellationToken)
    {
        var (conditions, parameters) = TaskFilterSql.Build(filter);
        AddBefore(conditions, parameters, beforeId);
        parameters.Add("pLimit", (long)limit);
        var sql = $"SELECT {TaskRow.Columns} FROM tasks {Where(conditions)} ORDER BY id DESC LIMIT @pLimit";
        return database.ReadAsync<IReadOnlyList<TaskRecord>>(async c =>
            (await c.QueryAsync<TaskRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken)))
                .Select(r => r.ToRecord()).ToList(), cancellationToken);
    }

    /// <summary>The ids of the next batch under the filter below <paramref name="beforeId"/>, newest first (for bulk actions).</summary>
    public Task<IReadOnlyList<long>> IdsAsync(MonitorTaskFilter filter, long? beforeId, int limit, CancellationToken cancellationToken)
    {
        var (conditions, parameters) = TaskFilterSql.Build(filter);
        AddBefore(conditions, parameters, beforeId);
        parameters.Add("pLimit", (long)limit);
        var sql = $"SELECT id FROM tasks {Where(conditions)} ORDER BY id DESC LIMIT @pLimit";
        return database.ReadAsync<IReadOnlyList<long>>(async c =>
            (await c.QueryAsync<long>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))).ToList(), cancellationToken);
    }

    /// <summary>How many tasks the filter matches (a scan of what the filter cannot narrow by index; see the README's figures).</summary>
    public Task<long> CountAsync(MonitorTaskFilter filter, CancellationToken cancellationToken)
    {
        var (conditions, parameters) = TaskFilterSql.Build(filter);
        var sql = $"SELECT count(*) FROM tasks {Where(conditions)}";
        return database.ReadAsync(c => c.ExecuteScalarAsync<long>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken)), cancellationToken);
    }

    /// <summary>Tasks in each state, over every worker, from the trigger-kept counts (as cheap at 1,000,000 rows as at 10).</summary>
    public Task<IReadOnlyDictionary<TaskState, long>> CountByStateAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyDictionary<TaskState, long>>(async c =>
        {
            var rows = await c.QueryAsync<(string Status, long Count)>(new CommandDefinition(
                "SELECT status, CAST(sum(count) AS BIGINT) FROM task_counts GROUP BY status", cancellationToken: cancellationToken));
            var counts = Enum.GetValues<TaskState>().ToDictionary(s => s, _ => 0L);
            foreach (var (status, count) in rows)
            {
                counts[TaskStateNames.Parse(status)] = count;
            }

            return counts;
        }, cancellationToken);

    /// <summary>
    /// Succeeded and failed tasks per <paramref name="bucket"/> since <paramref name="since"/>, oldest first, every bucket
    /// present (zeros included). Read through the index on (status, finished_at).
    /// </summary>
    public Task<IReadOnlyList<ThroughputBucket>> ThroughputAsync(DateTimeOffset since, TimeSpan bucket, CancellationToken cancellationToken)
    {
        var bucketMs = (long)bucket.TotalMilliseconds;
        var first = UnixTime.ToMs(since) / bucketMs;
        var last = UnixTime.ToMs(clock.GetUtcNow()) / bucketMs;
        return database.ReadAsync<IReadOnlyList<ThroughputBucket>>(async c =>
        {
            var rows = await c.QueryAsync<(long Bucket, string Status, long Count)>(new CommandDefinition(
                $"""
                SELECT finished_at / @bucketMs, status, count(*) FROM tasks
                WHERE status IN ('succeeded', 'failed') AND {FinishedIndex} AND finished_at >= @sinceMs
                GROUP BY 1, 2
                """,
                new { bucketMs, sinceMs = first * bucketMs }, cancellationToken: cancellationToken));
            var byBucket = rows.ToLookup(r => r.Bucket);
            var buckets = new List<ThroughputBucket>();
            for (var b = first; b <= last; b++)
            {
                var counts = byBucket[b].ToList();
                buckets.Add(new ThroughputBucket(UnixTime.FromMs(b * bucketMs),
                    counts.Where(r => r.Status == "succeeded").Sum(r => r.Count), counts.Where(r => r.Status == "failed").Sum(r => r.Count)));
            }

            return buckets;
        }, cancellationToken);
    }

    /// <summary>Per worker, how many tasks succeeded and failed since <paramref name="since"/>.</summary>
    public Task<IReadOnlyDictionary<string, WorkerOutcomes>> OutcomesByWorkerAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyDictionary<string, WorkerOutcomes>>(async c =>
        {
            var rows = await c.QueryAsync<(string Worker, string Status, long Count)>(new CommandDefinition(
                $"""
                SELECT worker, status, count(*) FROM tasks
                WHERE status IN ('succeeded', 'failed') AND {FinishedIndex} AND finished_at >= @sinceMs
                GROUP BY 1, 2
                """,
                new { sinceMs = UnixTime.ToMs(since) }, cancellationToken: cancellationToken));
            return rows.GroupBy(r => r.Worker, StringComparer.Ordinal).ToDictionary(
                g => g.Key,
                g => new WorkerOutcomes(g.Where(r => r.Status == "succeeded").Sum(r => r.Count), g.Where(r => r.Status == "failed").Sum(r => r.Count)),
                StringComparer.Ordinal);
        }, cancellationToken);

    /// <summary>The task's log lines after the first <paramref name="skip"/> (every attempt's, in order): what a live tail has not shown yet.</summary>
    public Task<IReadOnlyList<TaskLogLine>> LogsFromAsync(long id, int skip, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<TaskLogLine>>(async c =>
            (await c.QueryAsync<TaskLogRow>(new CommandDefinition(
                $"SELECT {TaskSql.LogColumns} FROM task_logs WHERE task_id = @id ORDER BY attempt, seq LIMIT 1000 OFFSET @skip",
                new { id, skip = (long)skip }, cancellationToken: cancellationToken))).Select(r => r.ToRecord()).ToList(), cancellationToken);

    /// <summary>
    /// Deletes those of <paramref name="ids"/> that are finished (succeeded, failed or cancelled), as <c>tasks purge</c>
    /// deletes only finished tasks; their attempts and log lines go with them. Returns the ids deleted.
    /// </summary>
    public Task<IReadOnlyList<long>> DeleteFinishedAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken) =>
        ids.Count == 0
            ? Task.FromResult<IReadOnlyList<long>>([])
            : database.WriteAsync<IReadOnlyList<long>>(async c =>
                (await c.QueryAsync<long>(new CommandDefinition(
                    $"DELETE FROM tasks WHERE id {database.Sql.InList("@ids")} AND status IN ('succeeded', 'failed', 'cancelled') RETURNING id",
                    new { ids = ids.ToArray() }, cancellationToken: cancellationToken))).ToList(), cancellationToken);

    private static void AddBefore(List<string> conditions, DynamicParameters parameters, long? beforeId)
    {
        if (beforeId is { } before)
        {
            conditions.Add("id < @pBefore");
            parameters.Add("pBefore", before);
        }
    }

    private static string Where(List<string> conditions) => conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
}

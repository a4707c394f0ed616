using Dapper;

namespace Carrot.Storage.Monitoring;

/// <summary>
/// The tasks that succeeded and failed per minute and worker, as the store's triggers keep them in
/// <c>task_throughput</c> (migration 013): the monitor's charts and per-worker last hour read at most a day of minutes,
/// however many tasks finished in it. On PostgreSQL a count is the sum over its connection slots.
/// </summary>
internal sealed class ThroughputStore(CarrotDatabase database, TimeProvider clock)
{
    /// <summary>How long the kept minutes are kept: the monitor reads one day back (from the start of an hour).</summary>
    public static readonly TimeSpan KeptFor = TimeSpan.FromDays(2);

    private const long MinuteMs = 60_000;

    /// <summary>
    /// Succeeded and failed tasks per <paramref name="bucket"/> (a whole number of minutes) since the start of the bucket
    /// that holds <paramref name="since"/>, oldest first, every bucket present (zeros included).
    /// </summary>
    public Task<IReadOnlyList<ThroughputBucket>> ThroughputAsync(DateTimeOffset since, TimeSpan bucket, CancellationToken cancellationToken)
    {
        if (bucket < TimeSpan.FromMinutes(1) || bucket.Ticks % TimeSpan.TicksPerMinute != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bucket), bucket, "A throughput bucket is a whole number of minutes.");
        }

        var bucketMinutes = (long)bucket.TotalMinutes;
        var first = UnixTime.ToMs(since) / MinuteMs / bucketMinutes;
        var last = UnixTime.ToMs(clock.GetUtcNow()) / MinuteMs / bucketMinutes;
        return database.ReadAsync<IReadOnlyList<ThroughputBucket>>(async c =>
        {
            var rows = await c.QueryAsync<(long Bucket, string Status, long Count)>(new CommandDefinition(
                """
                SELECT minute / @bucketMinutes, status, CAST(sum(count) AS BIGINT) FROM task_throughput
                WHERE minute >= @firstMinute GROUP BY 1, 2
                """,
                new { bucketMinutes, firstMinute = first * bucketMinutes }, cancellationToken: cancellationToken));
            var byBucket = rows.ToLookup(r => r.Bucket);
            var buckets = new List<ThroughputBucket>();
            for (var b = first; b <= last; b++)
            {
                var counts = byBucket[b].ToList();
                buckets.Add(new ThroughputBucket(UnixTime.FromMs(b * bucketMinutes * MinuteMs),
                    counts.Where(r => r.Status == "succeeded").Sum(r => r.Count), counts.Where(r => r.Status == "failed").Sum(r => r.Count)));
            }

            return buckets;
        }, cancellationToken);
    }

    /// <summary>Per worker, how many tasks succeeded and failed since the start of the minute that holds <paramref name="since"/>.</summary>
    public Task<IReadOnlyDictionary<string, WorkerOutcomes>> OutcomesByWorkerAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyDictionary<string, WorkerOutcomes>>(async c =>
        {
            var rows = await c.QueryAsync<(string Worker, string Status, long Count)>(new CommandDefinition(
                """
                SELECT worker, status, CAST(sum(count) AS BIGINT) FROM task_throughput
                WHERE minute >= @sinceMinute GROUP BY 1, 2 HAVING sum(count) <> 0
                """,
                new { sinceMinute = UnixTime.ToMs(since) / MinuteMs }, cancellationToken: cancellationToken));
            return rows.GroupBy(r => r.Worker, StringComparer.Ordinal).ToDictionary(
                g => g.Key,
                g => new WorkerOutcomes(g.Where(r => r.Status == "succeeded").Sum(r => r.Count), g.Where(r => r.Status == "failed").Sum(r => r.Count)),
                StringComparer.Ordinal);
        }, cancellationToken);

    /// <summary>
    /// Deletes the kept minutes older than <see cref="KeptFor"/>: nobody reads them, and on PostgreSQL a task deleted
    /// by another connection than the one that finished it leaves a row in each slot. Returns how many rows went.
    /// </summary>
    public Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        var beforeMinute = UnixTime.ToMs(clock.GetUtcNow() - KeptFor) / MinuteMs;
        return database.WriteAsync(c => c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM task_throughput WHERE minute < @beforeMinute", new { beforeMinute }, cancellationToken: cancellationToken)), cancellationToken);
    }
}

using System.Data.Common;
using Dapper;

namespace Carrot.Storage.Monitoring;

/// <summary>
/// The tasks that succeeded and failed per minute and worker, as the store's triggers keep them in
/// <c>task_throughput</c> (migration 013): the monitor's charts and per-worker last hour read at most a day of minutes,
/// however many tasks finished in it. On PostgreSQL a count is the sum over its connection slots. A count is always the
/// sum of its rows: <see cref="CompactAsync"/> folds rows together without changing any sum.
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
    /// Keeps the table small, so that a day's chart reads a few hundred rows: deletes the minutes older than
    /// <see cref="KeptFor"/> (nobody reads them), folds each hour that ended before the last hour began into one row per
    /// worker and outcome at the hour's first minute (the per-minute chart never reads those hours), and on PostgreSQL
    /// folds the connection slots of every minute older than five minutes into slot 0. A fold deletes rows and adds their
    /// sum back in the same transaction, so every sum stays exact; a trigger that changes a folded row meanwhile waits
    /// for the fold's commit and then writes a row of its own. Run by the daemon's retention pass. Returns the rows folded
    /// or deleted.
    /// </summary>
    public Task<int> CompactAsync(CancellationToken cancellationToken)
    {
        var now = UnixTime.ToMs(clock.GetUtcNow()) / MinuteMs;
        var keptFrom = UnixTime.ToMs(clock.GetUtcNow() - KeptFor) / MinuteMs;
        var hoursBefore = (now / 60 * 60) - 60;
        var slotted = database.Sql.CountsPerSlot;
        return database.WriteAsync(async c =>
        {
            var changed = await c.ExecuteAsync(new CommandDefinition(
                "DELETE FROM task_throughput WHERE minute < @keptFrom", new { keptFrom }, cancellationToken: cancellationToken));
            changed += await FoldAsync(c, keptFrom, hoursBefore, 60, slotted, cancellationToken);
            if (slotted)
            {
                changed += await FoldAsync(c, hoursBefore, now - 5, 1, slotted, cancellationToken);
            }

            return changed;
        }, cancellationToken);
    }

    /// <summary>Replaces the rows of minutes [<paramref name="from"/>, <paramref name="before"/>) with their sums per bucket, worker and outcome.</summary>
    private static async Task<int> FoldAsync(DbConnection c, long from, long before, long bucketMinutes, bool slotted, CancellationToken cancellationToken)
    {
        var gone = (await c.QueryAsync<(long Minute, string Worker, string Status, long Count)>(new CommandDefinition(
            "DELETE FROM task_throughput WHERE minute >= @from AND minute < @before RETURNING minute, worker, status, count",
            new { from, before }, cancellationToken: cancellationToken))).ToList();
        var sums = gone.GroupBy(r => (Minute: r.Minute / bucketMinutes * bucketMinutes, r.Worker, r.Status))
            .Select(g => new { g.Key.Minute, g.Key.Worker, g.Key.Status, Count = g.Sum(r => r.Count) })
            .Where(r => r.Count != 0).ToList();
        if (sums.Count > 0)
        {
            await c.ExecuteAsync(new CommandDefinition(slotted
                ? """
                  INSERT INTO task_throughput (minute, worker, status, slot, count) VALUES (@Minute, @Worker, @Status, 0, @Count)
                  ON CONFLICT (minute, worker, status, slot) DO UPDATE SET count = task_throughput.count + excluded.count
                  """
                : """
                  INSERT INTO task_throughput (minute, worker, status, count) VALUES (@Minute, @Worker, @Status, @Count)
                  ON CONFLICT (minute, worker, status) DO UPDATE SET count = task_throughput.count + excluded.count
                  """,
                sums, cancellationToken: cancellationToken));
        }

        return gone.Count;
    }
}

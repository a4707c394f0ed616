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
    /// What the overview shows, from one read of the kept rows since the start of the hour a day ago: succeeded and
    /// failed per minute over the last hour and per hour over the last day (oldest first, every bucket present, zeros
    /// included), and per worker since the start of the minute an hour ago.
    /// </summary>
    public Task<ThroughputOverview> OverviewAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var nowMinute = UnixTime.ToMs(now) / MinuteMs;
        var hourAgo = UnixTime.ToMs(now.AddHours(-1)) / MinuteMs;
        var dayAgo = UnixTime.ToMs(now.AddDays(-1)) / MinuteMs / 60 * 60;
        return database.ReadAsync(async c =>
        {
            var rows = (await c.QueryAsync<(long Minute, string Worker, string Status, long Count)>(new CommandDefinition(
                """
                SELECT minute, worker, status, CAST(sum(count) AS BIGINT) FROM task_throughput
                WHERE minute >= @dayAgo GROUP BY minute, worker, status
                """,
                new { dayAgo }, cancellationToken: cancellationToken))).ToList();
            var lastHour = rows.Where(r => r.Minute >= hourAgo).GroupBy(r => r.Worker, StringComparer.Ordinal)
                .Select(g => (Worker: g.Key, Outcomes: new WorkerOutcomes(Sum(g, "succeeded"), Sum(g, "failed"))))
                .Where(w => w.Outcomes.Succeeded != 0 || w.Outcomes.Failed != 0)
                .ToDictionary(w => w.Worker, w => w.Outcomes, StringComparer.Ordinal);
            return new ThroughputOverview(Buckets(rows, hourAgo, nowMinute, 1), Buckets(rows, dayAgo / 60, nowMinute / 60, 60), lastHour);
        }, cancellationToken);
    }

    /// <summary>Buckets <paramref name="first"/> to <paramref name="last"/> of <paramref name="bucketMinutes"/> minutes each.</summary>
    private static List<ThroughputBucket> Buckets(IEnumerable<(long Minute, string Worker, string Status, long Count)> rows, long first, long last, long bucketMinutes)
    {
        var byBucket = rows.ToLookup(r => r.Minute / bucketMinutes);
        var buckets = new List<ThroughputBucket>();
        for (var b = first; b <= last; b++)
        {
            buckets.Add(new ThroughputBucket(UnixTime.FromMs(b * bucketMinutes * MinuteMs), Sum(byBucket[b], "succeeded"), Sum(byBucket[b], "failed")));
        }

        return buckets;
    }

    private static long Sum(IEnumerable<(long Minute, string Worker, string Status, long Count)> rows, string status) =>
        rows.Where(r => r.Status == status).Sum(r => r.Count);

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

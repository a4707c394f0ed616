using Carrot.Storage;
using Carrot.Storage.Monitoring;
using Carrot.Tasks;
using Carrot.Tests.Integration.Storage;
using Dapper;

namespace Carrot.Tests.Monitor;

/// <summary>The per-minute counts the store's triggers keep for the monitor (migration 013), on both engines.</summary>
[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres)]
public sealed class ThroughputStoreTests(StoreKind kind) : StorageTestBase(kind)
{
    private static readonly CancellationToken None = CancellationToken.None;

    private ThroughputStore Store => new(Database, Clock);

    [Test]
    public async Task OverviewAsync_CountsFinishedTasksPerMinuteAndHour_WithEmptyBucketsAsZero()
    {
        var start = Clock.Now;
        var a = await Tasks.InsertAsync(NewTask(), None);
        var b = await Tasks.InsertAsync(NewTask(), None);
        var c = await Tasks.InsertAsync(NewTask(), None);
        Finish(a, "succeeded", start.AddMinutes(1));
        Finish(b, "failed", start.AddMinutes(1).AddSeconds(30));
        Finish(c, "succeeded", start.AddMinutes(3));
        Clock.Now = start.AddMinutes(4);

        var overview = await Store.OverviewAsync(None);
        var buckets = overview.ByMinute.TakeLast(5).ToList();
        var hours = overview.ByHour;

        Assert.Multiple(() =>
        {
            Assert.That(overview.ByMinute, Has.Count.EqualTo(61), "an hour ago to now");
            Assert.That(overview.ByHour, Has.Count.EqualTo(25), "the hour a day ago to this one");
            Assert.That(buckets.Select(x => x.Start), Is.EqualTo(Enumerable.Range(0, 5).Select(i => start.AddMinutes(i))));
            Assert.That(buckets.Select(x => x.Succeeded), Is.EqualTo(new long[] { 0, 1, 0, 1, 0 }));
            Assert.That(buckets.Select(x => x.Failed), Is.EqualTo(new long[] { 0, 1, 0, 0, 0 }));
            Assert.That(hours.Sum(x => x.Succeeded), Is.EqualTo(2));
            Assert.That(hours.Sum(x => x.Failed), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task OverviewAsync_CountsEachWorkersLastHour()
    {
        await Workers.AddAsync("files", 1, "", None);
        var old = await Tasks.InsertAsync(NewTask(), None);
        var recent = await Tasks.InsertAsync(NewTask(worker: "files"), None);
        var recentFailed = await Tasks.InsertAsync(NewTask(worker: "files"), None);
        Finish(old, "succeeded", Clock.Now.AddHours(-2));
        Finish(recent, "succeeded", Clock.Now.AddMinutes(-5));
        Finish(recentFailed, "failed", Clock.Now.AddMinutes(-5));

        var outcomes = (await Store.OverviewAsync(None)).LastHour;

        Assert.That(outcomes, Is.EquivalentTo(new Dictionary<string, WorkerOutcomes> { ["files"] = new(1, 1) }));
    }

    [Test]
    public async Task KeptCounts_MatchTheTable_ThroughFinishRetryMoveInsertAndDelete()
    {
        await Workers.AddAsync("files", 1, "", None);
        var start = Clock.Now;
        var a = await Tasks.InsertAsync(NewTask(), None);
        var b = await Tasks.InsertAsync(NewTask(), None);
        var c = await Tasks.InsertAsync(NewTask(), None);
        var steps = new List<(string Step, Action Change)>
        {
            ("finish", () => { Finish(a, "succeeded", start.AddMinutes(1)); Finish(b, "failed", start.AddMinutes(1)); Finish(c, "succeeded", start.AddMinutes(2)); }),
            ("retry", () => Execute("UPDATE tasks SET status = 'queued', finished_at = NULL WHERE id = @id", new { id = b })),
            ("claim", () => Execute("UPDATE tasks SET status = 'running', started_at = @at WHERE id = @id", new { id = b, at = UnixTime.ToMs(start) })),
            ("finish again", () => Finish(b, "succeeded", start.AddMinutes(5))),
            ("move worker", () => Execute("UPDATE tasks SET worker = 'files' WHERE id = @id", new { id = c })),
            ("change time", () => Execute("UPDATE tasks SET finished_at = @at WHERE id = @id", new { id = a, at = UnixTime.ToMs(start.AddMinutes(9)) })),
            ("succeeded to failed", () => Execute("UPDATE tasks SET status = 'failed' WHERE id = @id", new { id = a })),
            ("cancel", () => Execute("UPDATE tasks SET status = 'cancelled' WHERE id = @id", new { id = c })),
            ("insert finished", () => Execute(
                """
                INSERT INTO tasks (kallable, args, kwargs, worker, status, priority, attempts, max_attempts, created_at, finished_at)
                VALUES ('MyLib.Jobs.Bark', '[]', '{}', 'files', 'succeeded', 0, 1, 3, @at, @at)
                """, new { at = UnixTime.ToMs(start.AddMinutes(2)) })),
        };

        foreach (var (step, change) in steps)
        {
            change();
            Assert.That(Kept(), Is.EqualTo(Counted()), $"after {step}");
        }

        Clock.Now = start.AddDays(1);
        var purged = await Tasks.PurgeBatchAsync(TaskState.Succeeded, Clock.Now, 100, None);
        Assert.Multiple(() =>
        {
            Assert.That(purged, Is.EqualTo(2));
            Assert.That(Kept(), Is.EqualTo(Counted()), "after a purge");
        });
    }

    [Test]
    public async Task CompactAsync_DropsOldMinutes_FoldsEndedHours_AndChangesNoChart()
    {
        await Workers.AddAsync("files", 1, "", None);
        var now = Clock.Now;
        var finishes = new (DateTimeOffset At, string Status, string Worker)[]
        {
            (now.AddDays(-3), "succeeded", "default"),
            (now.AddHours(-5), "succeeded", "default"), (now.AddHours(-5).AddMinutes(7), "succeeded", "default"), (now.AddHours(-5).AddMinutes(9), "failed", "files"),
            (now.AddHours(-3), "failed", "files"),
            (now.AddMinutes(-50), "succeeded", "default"), (now.AddMinutes(-10), "succeeded", "files"), (now.AddMinutes(-10), "succeeded", "files"),
            (now.AddMinutes(-1), "failed", "default"),
        };
        foreach (var (at, status, worker) in finishes)
        {
            // Each through a connection of its own: on PostgreSQL the rows land in several slots.
            Finish(await Tasks.InsertAsync(NewTask(worker: worker), None), status, at);
        }

        var before = await ChartsAsync();
        var rowsBefore = Scalar<long>("SELECT count(*) FROM task_throughput");
        var changed = await Store.CompactAsync(None);
        var after = await ChartsAsync();
        var oldest = UnixTime.ToMs(now - ThroughputStore.KeptFor) / 60_000;

        Assert.Multiple(() =>
        {
            Assert.That(changed, Is.Positive);
            Assert.That(Scalar<long>("SELECT count(*) FROM task_throughput"), Is.LessThan(rowsBefore));
            Assert.That(Scalar<long>("SELECT count(*) FROM task_throughput WHERE minute < @oldest", new { oldest }), Is.Zero, "older than two days");
            Assert.That(after.Hours, Is.EqualTo(before.Hours), "the day's chart");
            Assert.That(after.Minutes, Is.EqualTo(before.Minutes), "the hour's chart");
            Assert.That(after.Workers, Is.EquivalentTo(before.Workers), "each worker's last hour");
        });
        if (Kind == StoreKind.Postgres)
        {
            var fiveMinutesAgo = UnixTime.ToMs(now.AddMinutes(-5)) / 60_000;
            Assert.That(Scalar<long>("SELECT count(*) FROM task_throughput WHERE slot <> 0 AND minute < @fiveMinutesAgo", new { fiveMinutesAgo }), Is.Zero, "older minutes' slots folded");
        }

        Assert.That(await Store.CompactAsync(None) >= 0 && (await ChartsAsync()).Hours.SequenceEqual(before.Hours), Is.True, "compacting again changes no sum");
    }

    private async Task<(List<ThroughputBucket> Hours, List<ThroughputBucket> Minutes, IReadOnlyDictionary<string, WorkerOutcomes> Workers)> ChartsAsync()
    {
        var overview = await Store.OverviewAsync(None);
        return (overview.ByHour.ToList(), overview.ByMinute.ToList(), overview.LastHour);
    }

    private List<(long Minute, string Worker, string Status, long Count)> Kept()
    {
        using var connection = OpenRaw();
        return connection.Query<(long, string, string, long)>(
            "SELECT minute, worker, status, CAST(sum(count) AS BIGINT) FROM task_throughput GROUP BY 1, 2, 3 HAVING sum(count) <> 0 ORDER BY 1, 2, 3").ToList();
    }

    private List<(long Minute, string Worker, string Status, long Count)> Counted()
    {
        using var connection = OpenRaw();
        return connection.Query<(long, string, string, long)>(
            """
            SELECT finished_at / 60000, worker, status, count(*) FROM tasks
            WHERE status IN ('succeeded', 'failed') AND finished_at IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            """).ToList();
    }

    private void Finish(long id, string status, DateTimeOffset at) =>
        Execute("UPDATE tasks SET status = @status, finished_at = @finished WHERE id = @id", new { id, status, finished = UnixTime.ToMs(at) });

    private void Execute(string sql, object parameters)
    {
        using var connection = OpenRaw();
        connection.Execute(sql, parameters);
    }
}

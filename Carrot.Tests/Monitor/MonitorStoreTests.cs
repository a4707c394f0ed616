using Carrot.Logging;
using Carrot.Storage;
using Carrot.Storage.Monitoring;
using Carrot.Tasks;
using Carrot.Tests.Integration.Storage;
using Dapper;

namespace Carrot.Tests.Monitor;

/// <summary>The monitor's queries (MonitorStore, LiveLogStore), on both engines.</summary>
[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres)]
public sealed class MonitorStoreTests(StoreKind kind) : StorageTestBase(kind)
{
    private static readonly CancellationToken None = CancellationToken.None;

    private MonitorStore Store => new(Database, Clock);

    [Test]
    public async Task PageAsync_WalksEveryTaskNewestFirst_ByKeyset()
    {
        var ids = new List<long>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add(await Tasks.InsertAsync(NewTask(), None));
        }

        var seen = new List<long>();
        long? before = null;
        while (true)
        {
            var page = await Store.PageAsync(new MonitorTaskFilter(), before, 3, None);
            if (page.Count == 0)
            {
                break;
            }

            seen.AddRange(page.Select(t => t.Id));
            before = page[^1].Id;
        }

        Assert.That(seen, Is.EqualTo(ids.AsEnumerable().Reverse().ToList()));
    }

    [Test]
    public async Task PageAsync_FiltersByStateWorkerKallablePrefixAndSchedule()
    {
        await Workers.AddAsync("files", 1, "", None);
        var failedFile = await Tasks.InsertAsync(NewTask("MyLib.Files.Copy", worker: "files"), None);
        await Tasks.InsertAsync(NewTask("MyLib.Files.Copy", worker: "files"), None);
        var failedJob = await Tasks.InsertAsync(NewTask("MyLib.Jobs.Bark"), None);
        await Tasks.InsertAsync(NewTask("Other.Jobs.Bark"), None);
        Finish(failedFile, "failed", "IOException", "disk full");
        Finish(failedJob, "failed", "InvalidOperationException", "no bark");

        Assert.Multiple(async () =>
        {
            Assert.That(await Ids(new MonitorTaskFilter { State = TaskState.Failed }), Is.EqualTo(new[] { failedJob, failedFile }));
            Assert.That(await Ids(new MonitorTaskFilter { State = TaskState.Failed, Worker = "files" }), Is.EqualTo(new[] { failedFile }));
            Assert.That(await Ids(new MonitorTaskFilter { KallablePrefix = "MyLib." }), Has.Count.EqualTo(3));
            Assert.That(await Ids(new MonitorTaskFilter { KallablePrefix = "MyLib.Jobs" }), Is.EqualTo(new[] { failedJob }));
            Assert.That(await Ids(new MonitorTaskFilter { ScheduleId = 99 }), Is.Empty);
            Assert.That(await Store.CountAsync(new MonitorTaskFilter { State = TaskState.Failed }, None), Is.EqualTo(2));
            Assert.That(await Store.CountAsync(new MonitorTaskFilter(), None), Is.EqualTo(4));
        });
    }

    [Test]
    public async Task PageAsync_SearchesArgsKwargsAndErrors_CaseInsensitively_WithWildcardsTakenLiterally()
    {
        var inArgs = await Tasks.InsertAsync(new NewTask("MyLib.Jobs.Bark", """["Rex_100%"]""", "{}", "default", 0, 3), None);
        var inKwargs = await Tasks.InsertAsync(new NewTask("MyLib.Jobs.Bark", "[]", """{"dog":"FIDO"}""", "default", 0, 3), None);
        var inError = await Tasks.InsertAsync(NewTask(), None);
        Finish(inError, "failed", "TimeoutException", "The kennel was closed");
        await Tasks.InsertAsync(new NewTask("MyLib.Jobs.Bark", """["Rex1000"]""", "{}", "default", 0, 3), None);

        Assert.Multiple(async () =>
        {
            Assert.That(await Ids(new MonitorTaskFilter { Search = "rex_100%" }), Is.EqualTo(new[] { inArgs }), "_ and % match only themselves");
            Assert.That(await Ids(new MonitorTaskFilter { Search = "fido" }), Is.EqualTo(new[] { inKwargs }));
            Assert.That(await Ids(new MonitorTaskFilter { Search = "KENNEL" }), Is.EqualTo(new[] { inError }));
            Assert.That(await Ids(new MonitorTaskFilter { Search = "timeoutexception" }), Is.EqualTo(new[] { inError }));
        });
    }

    [Test]
    public async Task PageAsync_FiltersByCreationTime()
    {
        var early = await Tasks.InsertAsync(NewTask(), None);
        Clock.Advance(TimeSpan.FromHours(2));
        var from = Clock.Now;
        var late = await Tasks.InsertAsync(NewTask(), None);
        Clock.Advance(TimeSpan.FromHours(2));

        Assert.Multiple(async () =>
        {
            Assert.That(await Ids(new MonitorTaskFilter { CreatedFrom = from }), Is.EqualTo(new[] { late }));
            Assert.That(await Ids(new MonitorTaskFilter { CreatedTo = from }), Is.EqualTo(new[] { early }));
        });
    }

    [Test]
    public async Task IdsAsync_GivesTheFilteredIdsInBatches()
    {
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await Tasks.InsertAsync(NewTask(), None));
        }

        var first = await Store.IdsAsync(new MonitorTaskFilter(), null, 3, None);
        var second = await Store.IdsAsync(new MonitorTaskFilter(), first[^1], 3, None);

        Assert.That(first.Concat(second), Is.EqualTo(ids.AsEnumerable().Reverse()));
    }

    [Test]
    public async Task CountByStateAsync_ListsEveryState_FromTheKeptCounts()
    {
        var failed = await Tasks.InsertAsync(NewTask(), None);
        await Tasks.InsertAsync(NewTask(), None);
        Finish(failed, "failed", "E", "m");

        var counts = await Store.CountByStateAsync(None);

        Assert.Multiple(() =>
        {
            Assert.That(counts.Keys, Is.EquivalentTo(Enum.GetValues<TaskState>()));
            Assert.That(counts[TaskState.Failed], Is.EqualTo(1));
            Assert.That(counts[TaskState.Queued], Is.EqualTo(1));
            Assert.That(counts[TaskState.Running], Is.Zero);
        });
    }

    [Test]
    public async Task ThroughputAsync_CountsFinishedTasksPerBucket_WithEmptyBucketsAsZero()
    {
        var start = Clock.Now;
        var a = await Tasks.InsertAsync(NewTask(), None);
        var b = await Tasks.InsertAsync(NewTask(), None);
        var c = await Tasks.InsertAsync(NewTask(), None);
        Finish(a, "succeeded", null, null, start.AddMinutes(1));
        Finish(b, "failed", "E", "m", start.AddMinutes(1).AddSeconds(30));
        Finish(c, "succeeded", null, null, start.AddMinutes(3));
        Clock.Now = start.AddMinutes(4);

        var buckets = await Store.ThroughputAsync(start, TimeSpan.FromMinutes(1), None);

        Assert.Multiple(() =>
        {
            Assert.That(buckets.Select(x => x.Start), Is.EqualTo(Enumerable.Range(0, 5).Select(i => start.AddMinutes(i))));
            Assert.That(buckets.Select(x => x.Succeeded), Is.EqualTo(new long[] { 0, 1, 0, 1, 0 }));
            Assert.That(buckets.Select(x => x.Failed), Is.EqualTo(new long[] { 0, 1, 0, 0, 0 }));
        });
    }

    [Test]
    public async Task OutcomesByWorkerAsync_CountsOnlySince()
    {
        await Workers.AddAsync("files", 1, "", None);
        var old = await Tasks.InsertAsync(NewTask(), None);
        var recent = await Tasks.InsertAsync(NewTask(worker: "files"), None);
        var recentFailed = await Tasks.InsertAsync(NewTask(worker: "files"), None);
        Finish(old, "succeeded", null, null, Clock.Now.AddHours(-2));
        Finish(recent, "succeeded", null, null, Clock.Now.AddMinutes(-5));
        Finish(recentFailed, "failed", "E", "m", Clock.Now.AddMinutes(-5));

        var outcomes = await Store.OutcomesByWorkerAsync(Clock.Now.AddHours(-1), None);

        Assert.That(outcomes, Is.EquivalentTo(new Dictionary<string, WorkerOutcomes> { ["files"] = new(1, 1) }));
    }

    [Test]
    public async Task DeleteFinishedAsync_DeletesOnlyFinishedTasks()
    {
        var done = await Tasks.InsertAsync(NewTask(), None);
        var queued = await Tasks.InsertAsync(NewTask(), None);
        Finish(done, "succeeded", null, null);

        var deleted = await Store.DeleteFinishedAsync([done, queued, 424242], None);

        Assert.Multiple(async () =>
        {
            Assert.That(deleted, Is.EqualTo(new[] { done }));
            Assert.That(await Tasks.GetAsync(done, None), Is.Null);
            Assert.That(await Tasks.GetAsync(queued, None), Is.Not.Null);
        });
    }

    [Test]
    public async Task LiveLogStore_AppendsAfterTheLinesStored_AndLogsFromSkipsWhatWasShown()
    {
        var id = await Tasks.InsertAsync(NewTask(), None);
        var live = new LiveLogStore(Database);
        var at = Clock.Now;

        var first = await live.AppendAsync([new LiveLogBatch(id, 1, [new TaskLogEntry(at, TaskLogLevel.Information, "one"), new TaskLogEntry(at, TaskLogLevel.Warning, "two")])], None);
        var second = await live.AppendAsync([new LiveLogBatch(id, 1, [new TaskLogEntry(at, TaskLogLevel.Error, "three")]), new LiveLogBatch(999_999, 1, [new TaskLogEntry(at, TaskLogLevel.Information, "nobody")])], None);

        var all = await Tasks.GetLogsAsync(id, None);
        var after = await Store.LogsFromAsync(id, 2, None);
        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(2));
            Assert.That(second, Is.EqualTo(1), "a task that is not in the table gets no lines");
            Assert.That(all.Select(l => l.Message), Is.EqualTo(new[] { "one", "two", "three" }));
            Assert.That(after.Select(l => l.Message), Is.EqualTo(new[] { "three" }));
            Assert.That(Scalar<long>("SELECT max(seq) FROM task_logs"), Is.EqualTo(2));
        });
    }

    private async Task<IReadOnlyList<long>> Ids(MonitorTaskFilter filter) =>
        (await Store.PageAsync(filter, null, 100, None)).Select(t => t.Id).ToList();

    private void Finish(long id, string status, string? errorType, string? errorMessage, DateTimeOffset? at = null)
    {
        using var connection = OpenRaw();
        connection.Execute(
            "UPDATE tasks SET status = @status, finished_at = @finished, error_type = @errorType, error_message = @errorMessage WHERE id = @id",
            new { id, status, finished = UnixTime.ToMs(at ?? Clock.Now), errorType, errorMessage });
    }
}

using Carrot.Logging;
using Carrot.Storage;
using Carrot.Storage.Monitoring;
using Carrot.Tasks;
using Carrot.Tests.Integration.Storage;
using Dapper;

namespace Carrot.Tests.Monitor;

/// <summary>The monitor's queries (MonitorStore, LiveLogStore), on both engines; the charts' counts are ThroughputStoreTests'.</summary>
[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres)]
public sealed class MonitorStoreTests(StoreKind kind) : StorageTestBase(kind)
{
    private static readonly CancellationToken None = CancellationToken.None;

    private MonitorStore Store => new(Database);

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
        do
        {
            var page = await Store.PageAsync(new MonitorTaskFilter(), before, 3, None);
            Assert.That(page.SearchedDownTo, Is.Null, "a plain list is no windowed search");
            seen.AddRange(page.Rows.Select(t => t.Id));
            before = page.Next;
        }
        while (before is not null);

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
            Assert.That(await Store.CountAsync(new MonitorTaskFilter { State = TaskState.Failed }, None), Is.EqualTo(new FilterCount(2, null)));
            Assert.That(await Store.CountAsync(new MonitorTaskFilter { State = TaskState.Failed, Worker = "files" }, None), Is.EqualTo(new FilterCount(1, null)));
            Assert.That(await Store.CountAsync(new MonitorTaskFilter(), None), Is.EqualTo(new FilterCount(4, null)));
            Assert.That(await Store.CountAsync(new MonitorTaskFilter { KallablePrefix = "MyLib." }, None), Is.EqualTo(new FilterCount(3, null)));
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
        var second = await Store.IdsAsync(new MonitorTaskFilter(), first.Next, 3, None);

        Assert.Multiple(() =>
        {
            Assert.That(first.Rows.Concat(second.Rows), Is.EqualTo(ids.AsEnumerable().Reverse()));
            Assert.That(first.Next, Is.EqualTo(first.Rows[^1]));
            Assert.That(second.Next, Is.Null);
        });
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
    public async Task PageAsync_SearchesOneWindowOfIdsAPage_AndSaysHowFarItGot()
    {
        var ids = new List<long>();
        for (var i = 0; i < 8; i++)
        {
            ids.Add(await Tasks.InsertAsync(new NewTask("MyLib.Jobs.Bark", i is 1 or 6 ? """["needle"]""" : """["hay"]""", "{}", "default", 0, 3), None));
        }

        var store = new MonitorStore(Database, searchWindow: 3);
        var search = new MonitorTaskFilter { Search = "needle" };
        var pages = new List<FilteredPage<Records.TaskRecord>>();
        long? before = null;
        do
        {
            var page = await store.PageAsync(search, before, 50, None);
            pages.Add(page);
            before = page.Next;
        }
        while (before is not null);

        Assert.Multiple(() =>
        {
            Assert.That(pages.Select(p => p.SearchedDownTo), Is.EqualTo(new long?[] { ids[5], ids[2], ids[0] }), "three ids a page, newest first");
            Assert.That(pages.Select(p => p.Rows.Select(t => t.Id).ToList()), Is.EqualTo(new long[][] { [ids[6]], [], [ids[1]] }), "a window may find nothing");
            Assert.That(pages[^1].Next, Is.Null, "the oldest window ends the walk");
        });
    }

    [Test]
    public async Task PageAsync_StopsAtAFullPage_InsideAWindow()
    {
        var ids = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add(await Tasks.InsertAsync(new NewTask("MyLib.Jobs.Bark", """["needle"]""", "{}", "default", 0, 3), None));
        }

        var store = new MonitorStore(Database, searchWindow: 4);
        var first = await store.PageAsync(new MonitorTaskFilter { Search = "needle" }, null, 2, None);
        var second = await store.PageAsync(new MonitorTaskFilter { Search = "needle" }, first.Next, 2, None);

        Assert.Multiple(() =>
        {
            Assert.That(first.Rows.Select(t => t.Id), Is.EqualTo(new[] { ids[5], ids[4] }));
            Assert.That(first.Next, Is.EqualTo(ids[4]));
            Assert.That(first.SearchedDownTo, Is.EqualTo(ids[4]), "searched only as far as the page needed");
            Assert.That(second.Rows.Select(t => t.Id), Is.EqualTo(new[] { ids[3], ids[2] }));
        });
    }

    [Test]
    public async Task CountAsync_OfASearch_CountsTheNewestWindow_AndSaysHowFar()
    {
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await Tasks.InsertAsync(new NewTask("MyLib.Jobs.Bark", """["needle"]""", "{}", "default", 0, 3), None));
        }

        Assert.Multiple(async () =>
        {
            Assert.That(await new MonitorStore(Database, searchWindow: 3).CountAsync(new MonitorTaskFilter { Search = "needle" }, None), Is.EqualTo(new FilterCount(3, ids[2])));
            Assert.That(await new MonitorStore(Database, searchWindow: 5).CountAsync(new MonitorTaskFilter { Search = "needle" }, None), Is.EqualTo(new FilterCount(5, null)), "a window over the whole table is exact");
            Assert.That(await new MonitorStore(Database, searchWindow: 3).CountAsync(new MonitorTaskFilter { State = TaskState.Queued }, None), Is.EqualTo(new FilterCount(5, null)), "a state is counted exactly");
        });
    }

    [Test]
    public async Task IdsAsync_OfASearch_WalksWindowByWindowToTheOldestTask()
    {
        var ids = new List<long>();
        for (var i = 0; i < 7; i++)
        {
            ids.Add(await Tasks.InsertAsync(new NewTask("MyLib.Jobs.Bark", i % 3 == 0 ? """["needle"]""" : "[]", "{}", "default", 0, 3), None));
        }

        var store = new MonitorStore(Database, searchWindow: 2);
        var found = new List<long>();
        long? before = null;
        var batches = 0;
        do
        {
            var batch = await store.IdsAsync(new MonitorTaskFilter { Search = "needle" }, before, 500, None);
            found.AddRange(batch.Rows);
            before = batch.Next;
            batches++;
        }
        while (before is not null);

        Assert.Multiple(() =>
        {
            Assert.That(found, Is.EqualTo(new[] { ids[6], ids[3], ids[0] }));
            Assert.That(batches, Is.EqualTo(4), "7 ids, 2 a window");
        });
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
        (await Store.PageAsync(filter, null, 100, None)).Rows.Select(t => t.Id).ToList();

    private void Finish(long id, string status, string? errorType, string? errorMessage, DateTimeOffset? at = null)
    {
        using var connection = OpenRaw();
        connection.Execute(
            "UPDATE tasks SET status = @status, finished_at = @finished, error_type = @errorType, error_message = @errorMessage WHERE id = @id",
            new { id, status, finished = UnixTime.ToMs(at ?? Clock.Now), errorType, errorMessage });
    }
}

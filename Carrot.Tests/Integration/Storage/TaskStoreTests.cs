using Carrot.Logging;
using Carrot.Records;
using Carrot.Storage;
using Carrot.Tasks;
using Dapper;
using NUnit.Framework;

namespace Carrot.Tests.Integration.Storage;

[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres)]
public sealed class TaskStoreTests(StoreKind kind) : StorageTestBase(kind)
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);
    private static readonly CancellationToken None = CancellationToken.None;

    [Test]
    public async Task InsertAsync_RecordsAQueuedTask_NotYetPublished()
    {
        var id = await Tasks.InsertAsync(NewTask(priority: 3), None);

        var task = await Tasks.GetAsync(id, None);

        Assert.That(task, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(task!.Id, Is.EqualTo(id));
            Assert.That(task.Kallable, Is.EqualTo("MyLib.Jobs.Bark"));
            Assert.That(task.Args, Is.EqualTo("""["Rex"]"""));
            Assert.That(task.Kwargs, Is.EqualTo("""{"times":2}"""));
            Assert.That(task.Worker, Is.EqualTo("default"));
            Assert.That(task.State, Is.EqualTo(TaskState.Queued));
            Assert.That(task.Priority, Is.EqualTo(3));
            Assert.That(task.Attempts, Is.Zero);
            Assert.That(task.MaxAttempts, Is.EqualTo(3));
            Assert.That(task.CreatedAt, Is.EqualTo(Clock.Now));
            Assert.That(task.QueuedAt, Is.EqualTo(Clock.Now));
            Assert.That(task.PublishedAt, Is.Null);
            Assert.That(task.StartedAt, Is.Null);
            Assert.That(task.FinishedAt, Is.Null);
            Assert.That(task.Node, Is.Null);
            Assert.That(task.Result, Is.Null);
        });
    }

    [Test]
    public async Task InsertAsync_GivesIncreasingIds()
    {
        var first = await Tasks.InsertAsync(NewTask(), None);
        var second = await Tasks.InsertAsync(NewTask(), None);

        Assert.That(second, Is.GreaterThan(first));
    }

    [Test]
    public async Task GetAsync_ReturnsNull_ForAnUnknownId()
    {
        Assert.That(await Tasks.GetAsync(12345, None), Is.Null);
    }

    [Test]
    public async Task MarkPublishedAsync_RecordsTheFirstConfirmationOnly()
    {
        var id = await Tasks.InsertAsync(NewTask(), None);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var firstConfirmation = Clock.Now;

        await Tasks.MarkPublishedAsync(id, None);
        Clock.Advance(TimeSpan.FromSeconds(1));
        await Tasks.MarkPublishedAsync(id, None);

        Assert.That((await Tasks.GetAsync(id, None))!.PublishedAt, Is.EqualTo(firstConfirmation));
    }

    [Test]
    public async Task TryClaimAsync_MovesTheTaskToRunning_AndCountsTheAttempt()
    {
        var id = await Tasks.InsertAsync(NewTask(), None);
        Clock.Advance(TimeSpan.FromSeconds(2));

        var claim = await Tasks.TryClaimAsync(id, "default", "daemon-1", "host-a:101", Lease, None);

        // The claim also says how long the task waited since it was queued (the queue-wait histogram).
        Assert.That(claim, Is.EqualTo(new ClaimedTask(id, "MyLib.Jobs.Bark", """["Rex"]""", """{"times":2}""", "default", 1, 3, "daemon-1") { QueueWait = TimeSpan.FromSeconds(2) }));
        var task = await Tasks.GetAsync(id, None);
        Assert.Multiple(() =>
        {
            Assert.That(task!.State, Is.EqualTo(TaskState.Running));
            Assert.That(task.Attempts, Is.EqualTo(1));
            Assert.That(task.StartedAt, Is.EqualTo(Clock.Now));
            Assert.That(task.Node, Is.EqualTo("host-a:101"));
            Assert.That(LeaseOf(id), Is.EqualTo(("daemon-1", (long?)(Clock.Now + Lease).ToUnixTimeMilliseconds())));
        });
    }

    [Test]
    public async Task TryClaimAsync_ReturnsNull_ForASecondClaimOfTheSameTask()
    {
        var id = await Tasks.InsertAsync(NewTask(), None);
        await Tasks.TryClaimAsync(id, "default", "daemon-1", "host-a:101", Lease, None);

        var second = await Tasks.TryClaimAsync(id, "default", "daemon-2", "host-b:202", Lease, None);

        Assert.That(second, Is.Null);
        var task = await Tasks.GetAsync(id, None);
        Assert.Multiple(() =>
        {
            Assert.That(task!.Attempts, Is.EqualTo(1));
            Assert.That(task.Node, Is.EqualTo("host-a:101"));
            Assert.That(LeaseOf(id).Owner, Is.EqualTo("daemon-1"));
        });
    }

    [Test]
    public async Task TryClaimAsync_ReturnsNull_ForAnUnknownTask()
    {
        Assert.That(await Tasks.TryClaimAsync(999, "default", "daemon-1", "host-a:101", Lease, None), Is.Null);
    }

    [Test]
    public async Task TryClaimAsync_LetsOnlyOneOfManyRacingClaimsWin()
    {
        var id = await Tasks.InsertAsync(NewTask(), None);

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => Tasks.TryClaimAsync(id, "default", $"daemon-{i}", $"host:{i}", Lease, None))));

        Assert.Multiple(async () =>
        {
            Assert.That(claims.Count(c => c is not null), Is.EqualTo(1));
            Assert.That((await Tasks.GetAsync(id, None))!.Attempts, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task TryClaimAsync_ReturnsNull_WhenNoAttemptsAreLeft()
    {
        var id = await Tasks.InsertAsync(NewTask(maxAttempts: 2), None);
        ExhaustAttempts(id);

        Assert.That(await Tasks.TryClaimAsync(id, "default", "daemon-1", "host-a:101", Lease, None), Is.Null);
        Assert.That((await Tasks.GetAsync(id, None))!.State, Is.EqualTo(TaskState.Queued));
    }

    [Test]
    public async Task CompleteAsync_RecordsASuccess_WithItsResultAndLogs()
    {
        var claim = await InsertAndClaimAsync();
        var started = Clock.Now;
        IReadOnlyList<TaskLogEntry> logs =
        [
            new(started.AddMilliseconds(1), TaskLogLevel.Information, "Rex barks 2 time(s)"),
            new(started.AddMilliseconds(2), TaskLogLevel.Warning, "loud"),
            new(started.AddMilliseconds(3), TaskLogLevel.Debug, "done"),
        ];
        Clock.Advance(TimeSpan.FromSeconds(3));

        var recorded = await Tasks.CompleteAsync(claim, TaskOutcome.Succeeded("\"Rex: Woof! Woof!\""), logs, None);

        Assert.That(recorded, Is.True);
        var task = await Tasks.GetAsync(claim.Id, None);
        Assert.Multiple(() =>
        {
            Assert.That(task!.State, Is.EqualTo(TaskState.Succeeded));
            Assert.That(task.Result, Is.EqualTo("\"Rex: Woof! Woof!\""));
            Assert.That(task.FinishedAt, Is.EqualTo(Clock.Now));
            Assert.That(task.ErrorType, Is.Null);
            Assert.That(LeaseOf(claim.Id), Is.EqualTo(((string?)null, (long?)null)));
        });
        var stored = await Tasks.GetLogsAsync(claim.Id, None);
        Assert.That(stored, Is.EqualTo(logs.Select(l => new TaskLogLine(claim.Id, 1, l.At, l.Level, l.Message)).ToList()));
    }

    [Test]
    public async Task CompleteAsync_RecordsAFailure_WithItsError()
    {
        var claim = await InsertAndClaimAsync();

        var recorded = await Tasks.CompleteAsync(claim, TaskOutcome.Failed("System.InvalidOperationException", "Exploded: boom", "   at MyLib.Jobs.Explode()"), [], None);

        var task = await Tasks.GetAsync(claim.Id, None);
        Assert.Multiple(() =>
        {
            Assert.That(recorded, Is.True);
            Assert.That(task!.State, Is.EqualTo(TaskState.Failed));
            Assert.That(task.ErrorType, Is.EqualTo("System.InvalidOperationException"));
            Assert.That(task.ErrorMessage, Is.EqualTo("Exploded: boom"));
            Assert.That(task.StackTrace, Is.EqualTo("   at MyLib.Jobs.Explode()"));
            Assert.That(task.Result, Is.Null);
        });
    }

    [Test]
    public async Task CompleteAsync_ChangesNothing_ForTheWrongOwner()
    {
        var claim = await InsertAndClaimAsync();
        var before = await Tasks.GetAsync(claim.Id, None);

        var recorded = await Tasks.CompleteAsync(claim with { LeaseOwner = "daemon-imposter" }, TaskOutcome.Succeeded("1"), [], None);

        Assert.Multiple(async () =>
        {
            Assert.That(recorded, Is.False);
            Assert.That(await Tasks.GetAsync(claim.Id, None), Is.EqualTo(before));
            Assert.That(LeaseOf(claim.Id).Owner, Is.EqualTo("daemon-1"));
        });
    }

    [Test]
    public async Task CompleteAsync_ChangesNothing_ForTheWrongAttempt()
    {
        var claim = await InsertAndClaimAsync();
        var before = await Tasks.GetAsync(claim.Id, None);

        var recorded = await Tasks.CompleteAsync(claim with { Attempt = 2 }, TaskOutcome.Succeeded("1"), [], None);

        Assert.Multiple(async () =>
        {
            Assert.That(recorded, Is.False);
            Assert.That(await Tasks.GetAsync(claim.Id, None), Is.EqualTo(before));
        });
    }

    [Test]
    public async Task CompleteAsync_RecordsAnOutcomeOnce()
    {
        var claim = await InsertAndClaimAsync();
        await Tasks.CompleteAsync(claim, TaskOutcome.Succeeded("1"), [], None);

        var again = await Tasks.CompleteAsync(claim, TaskOutcome.Failed("X", "late"), [], None);

        var task = await Tasks.GetAsync(claim.Id, None);
        Assert.Multiple(() =>
        {
            Assert.That(again, Is.False);
            Assert.That(task!.State, Is.EqualTo(TaskState.Succeeded));
            Assert.That(task.Result, Is.EqualTo("1"));
        });
    }

    [Test]
    public async Task CompleteAsync_FromAnExecutorThatLostItsLease_LeavesTheNewRunAlone()
    {
        var stale = await InsertAndClaimAsync();
        Clock.Advance(Lease + TimeSpan.FromSeconds(1));
        await Tasks.RescueExpiredAsync(None);
        var current = await Tasks.TryClaimAsync(stale.Id, "default", "daemon-2", "host-b:202", Lease, None);

        var staleRecorded = await Tasks.CompleteAsync(stale, TaskOutcome.Succeeded("\"stale\""), [new(Clock.Now, TaskLogLevel.Information, "stale line")], None);
        var currentRecorded = await Tasks.CompleteAsync(current!, TaskOutcome.Succeeded("\"current\""), [new(Clock.Now, TaskLogLevel.Information, "current line")], None);

        var task = await Tasks.GetAsync(stale.Id, None);
        var logs = await Tasks.GetLogsAsync(stale.Id, None);
        Assert.Multiple(() =>
        {
            Assert.That(current!.Attempt, Is.EqualTo(2));
            Assert.That(staleRecorded, Is.False);
            Assert.That(currentRecorded, Is.True);
            Assert.That(task!.Result, Is.EqualTo("\"current\""));
            Assert.That(logs.Select(l => (l.Attempt, l.Message)), Is.EqualTo(((int, string)[])[(1, "stale line"), (2, "current line")]));
        });
    }

    [Test]
    public async Task GetLogsAsync_ReturnsLines_ByAttemptThenInOrder()
    {
        var first = await InsertAndClaimAsync(maxAttempts: 3);
        Clock.Advance(Lease + TimeSpan.FromSeconds(1));
        await Tasks.RescueExpiredAsync(None);
        var second = (await Tasks.TryClaimAsync(first.Id, "default", "daemon-2", "host-b:202", Lease, None))!;

        await Tasks.CompleteAsync(second, TaskOutcome.Succeeded(null), Lines("b1", "b2", "b3"), None);
        await Tasks.CompleteAsync(first, TaskOutcome.Succeeded(null), Lines("a1", "a2"), None);

        var logs = await Tasks.GetLogsAsync(first.Id, None);
        Assert.That(logs.Select(l => $"{l.Attempt}:{l.Message}"), Is.EqualTo((string[])["1:a1", "1:a2", "2:b1", "2:b2", "2:b3"]));
    }

    [Test]
    public async Task GetLogsAsync_ReturnsNothing_ForATaskWithoutLines()
    {
        var id = await Tasks.InsertAsync(NewTask(), None);

        Assert.That(await Tasks.GetLogsAsync(id, None), Is.Empty);
    }

    [Test]
    public async Task ReleaseAsync_PutsTheTaskBackToQueued_WithoutCountingTheAttempt()
    {
        var claim = await InsertAndClaimAsync();
        await Tasks.MarkPublishedAsync(claim.Id, None);
        var publishedAt = (await Tasks.GetAsync(claim.Id, None))!.PublishedAt;

        var released = await Tasks.ReleaseAsync(claim, [], republish: false, None);

        var task = await Tasks.GetAsync(claim.Id, None);
        Assert.Multiple(() =>
        {
            Assert.That(released, Is.EqualTo(HandBack.Queued));
            Assert.That(task!.State, Is.EqualTo(TaskState.Queued));
            Assert.That(task.Attempts, Is.Zero);
            Assert.That(task.StartedAt, Is.Null);
            Assert.That(task.Node, Is.Null);
            Assert.That(task.PublishedAt, Is.EqualTo(publishedAt), "its message goes back to the queue; it is not published again");
            Assert.That(LeaseOf(claim.Id), Is.EqualTo(((string?)null, (long?)null)));
        });
    }

    [Test]
    public async Task ReleaseAsync_LetsTheTaskBeClaimedAgain_AsTheSameAttempt()
    {
        var claim = await InsertAndClaimAsync();
        await Tasks.ReleaseAsync(claim, [], republish: false, None);

        var again = await Tasks.TryClaimAsync(claim.Id, "default", "daemon-2", "host-b:202", Lease, None);

        Assert.That(again!.Attempt, Is.EqualTo(1));
    }

    [Test]
    public async Task ReleaseAsync_ChangesNothing_ForTheWrongOwner()
    {
        var claim = await InsertAndClaimAsync();

        var released = await Tasks.ReleaseAsync(claim with { LeaseOwner = "daemon-imposter" }, [], republish: false, None);

        var task = await Tasks.GetAsync(claim.Id, None);
        Assert.Multiple(() =>
        {
            Assert.That(released, Is.EqualTo(HandBack.LeaseLost));
            Assert.That((task!.State, task.Attempts), Is.EqualTo((TaskState.Running, 1)));
        });
    }

    [Test]
    public async Task ReleaseAsync_ThenCompleteAsync_KeepsTheLinesOfBothRuns()
    {
        // A daemon shutting down hands the task back with the lines it wrote; the next run has the same attempt
        // number. Its own lines must be stored too, not silently ignored as duplicates of the released run's.
        var released = await InsertAndClaimAsync();
        await Tasks.ReleaseAsync(released, Lines("released 1", "released 2"), republish: false, None);
        var rerun = (await Tasks.TryClaimAsync(released.Id, "default", "daemon-2", "host-b:202", Lease, None))!;

        await Tasks.CompleteAsync(rerun, TaskOutcome.Succeeded(null), Lines("rerun 1", "rerun 2", "rerun 3"), None);

        var messages = (await Tasks.GetLogsAsync(released.Id, None)).Select(l => l.Message).ToList();
        Assert.That(messages, Is.SupersetOf((string[])["released 1", "released 2", "rerun 1", "rerun 2", "rerun 3"]));
    }

    [Test]
    public async Task RescueExpiredAsync_LeavesALiveLeaseAlone()
    {
        var claim = await InsertAndClaimAsync();
        Clock.Advance(Lease);

        var rescued = await Tasks.RescueExpiredAsync(None);

        Assert.Multiple(async () =>
        {
            Assert.That(rescued.Requeued, Is.Zero);
            Assert.That((await Tasks.GetAsync(claim.Id, None))!.State, Is.EqualTo(TaskState.Running));
        });
    }

    [Test]
    public async Task RescueExpiredAsync_RequeuesAnExpiredLease_CountingTheAttempt()
    {
        var claim = await InsertAndClaimAsync();
        await Tasks.MarkPublishedAsync(claim.Id, None);
        Clock.Advance(Lease + TimeSpan.FromMilliseconds(1));

        var rescued = await Tasks.RescueExpiredAsync(None);

        var task = await Tasks.GetAsync(claim.Id, None);
        Assert.Multiple(() =>
        {
            Assert.That(rescued.Requeued, Is.EqualTo(1));
            Assert.That(task!.State, Is.EqualTo(TaskState.Queued));
            Assert.That(task.Attempts, Is.EqualTo(1), "the crashed run counts");
            Assert.That(task.PublishedAt, Is.Null, "so the relay publishes it again");
            Assert.That(LeaseOf(claim.Id), Is.EqualTo(((string?)null, (long?)null)));
        });
        Assert.That((await Tasks.TryClaimAsync(claim.Id, "default", "daemon-2", "host-b:202", Lease, None))!.Attempt, Is.EqualTo(2));
    }

    [Test]
    public async Task RescueExpiredAsync_FailsATask_WhoseAttemptsAreUsedUp()
    {
        var claim = await InsertAndClaimAsync(maxAttempts: 1);
        Clock.Advance(Lease + TimeSpan.FromSeconds(1));

        var rescued = await Tasks.RescueExpiredAsync(None);

        var task = await Tasks.GetAsync(claim.Id, None);
        Assert.Multiple(() =>
        {
            Assert.That(rescued.Requeued, Is.Zero);
            Assert.That(rescued.Ended, Is.EqualTo(1));
            Assert.That(task!.State, Is.EqualTo(TaskState.Failed));
            Assert.That(task.FinishedAt, Is.EqualTo(Clock.Now));
            Assert.That(task.ErrorType, Is.EqualTo("Carrot.AttemptsExhausted"));
            Assert.That(task.ErrorMessage, Does.StartWith("The daemon running attempt 1 of 1 died or went silent"));
            Assert.That(LeaseOf(claim.Id), Is.EqualTo(((string?)null, (long?)null)));
        });
    }

    [Test]
    public async Task RescueExpiredAsync_DoesNotTouchQueuedOrFinishedTasks()
    {
        var queued = await Tasks.InsertAsync(NewTask(), None);
        var done = await InsertAndClaimAsync();
        await Tasks.CompleteAsync(done, TaskOutcome.Succeeded("1"), [], None);
        Clock.Advance(TimeSpan.FromHours(1));

        Assert.That((await Tasks.RescueExpiredAsync(None)).Requeued, Is.Zero);
        Assert.Multiple(async () =>
        {
            Assert.That((await Tasks.GetAsync(queued, None))!.State, Is.EqualTo(TaskState.Queued));
            Assert.That((await Tasks.GetAsync(done.Id, None))!.State, Is.EqualTo(TaskState.Succeeded));
        });
    }

    [Test]
    public async Task FailExhaustedAsync_FailsAQueuedTask_WithNoAttemptsLeft()
    {
        var id = await Tasks.InsertAsync(NewTask(maxAttempts: 3), None);
        ExhaustAttempts(id);

        var failed = await Tasks.FailExhaustedAsync(id, None);

        var task = await Tasks.GetAsync(id, None);
        Assert.Multiple(() =>
        {
            Assert.That(failed, Is.True);
            Assert.That(task!.State, Is.EqualTo(TaskState.Failed));
            Assert.That(task.FinishedAt, Is.EqualTo(Clock.Now));
            Assert.That(task.ErrorType, Is.EqualTo("Carrot.AttemptsExhausted"));
            Assert.That(task.ErrorMessage, Does.StartWith("The task was started 3 times and never finished"));
        });
    }

    [Test]
    public async Task FailExhaustedAsync_LeavesATaskWithAttemptsLeft()
    {
        var id = await Tasks.InsertAsync(NewTask(maxAttempts: 3), None);

        Assert.That(await Tasks.FailExhaustedAsync(id, None), Is.False);
        Assert.That((await Tasks.GetAsync(id, None))!.State, Is.EqualTo(TaskState.Queued));
    }

    [Test]
    public async Task FailExhaustedAsync_LeavesARunningTask()
    {
        var claim = await InsertAndClaimAsync(maxAttempts: 1);

        Assert.That(await Tasks.FailExhaustedAsync(claim.Id, None), Is.False);
        Assert.That((await Tasks.GetAsync(claim.Id, None))!.State, Is.EqualTo(TaskState.Running));
    }

    [Test]
    public async Task ListUnpublishedAsync_ReturnsQueuedUnconfirmedTasks_OlderThanTheMinimumAge_OldestFirst()
    {
        var oldest = await Tasks.InsertAsync(NewTask(worker: "default", priority: 2), None);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var older = await Tasks.InsertAsync(NewTask(), None);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var published = await Tasks.InsertAsync(NewTask(), None);
        await Tasks.MarkPublishedAsync(published, None);
        var running = await Tasks.InsertAsync(NewTask(), None);
        await Tasks.TryClaimAsync(running, "default", "daemon-1", "host-a:101", Lease, None);
        Clock.Advance(TimeSpan.FromSeconds(8));
        var recent = await Tasks.InsertAsync(NewTask(), None);
        Clock.Advance(TimeSpan.FromSeconds(1));

        var found = await Tasks.ListUnpublishedAsync(TimeSpan.FromSeconds(5), 100, None);

        Assert.Multiple(() =>
        {
            Assert.That(found.Select(t => t.Id), Is.EqualTo((long[])[oldest, older]));
            Assert.That(found[0], Is.EqualTo(new UnpublishedTask(oldest, "default", 2)));
            Assert.That(found.Select(t => t.Id), Does.Not.Contain(recent));
        });
    }

    [Test]
    public async Task ListUnpublishedAsync_CountsTheMinimumAge_Inclusively()
    {
        var id = await Tasks.InsertAsync(NewTask(), None);
        Clock.Advance(TimeSpan.FromSeconds(5));

        Assert.That((await Tasks.ListUnpublishedAsync(TimeSpan.FromSeconds(5), 10, None)).Select(t => t.Id), Is.EqualTo((long[])[id]));
        Assert.That(await Tasks.ListUnpublishedAsync(TimeSpan.FromSeconds(5.001), 10, None), Is.Empty);
    }

    [Test]
    public async Task ListUnpublishedAsync_RespectsTheLimit()
    {
        for (var i = 0; i < 5; i++)
        {
            await Tasks.InsertAsync(NewTask(), None);
            Clock.Advance(TimeSpan.FromMilliseconds(10));
        }

        Assert.That(await Tasks.ListUnpublishedAsync(TimeSpan.Zero, 3, None), Has.Count.EqualTo(3));
    }

    [Test]
    public async Task ListUnpublishedAsync_IncludesARescuedTask()
    {
        var claim = await InsertAndClaimAsync();
        await Tasks.MarkPublishedAsync(claim.Id, None);
        Clock.Advance(Lease + TimeSpan.FromSeconds(1));
        await Tasks.RescueExpiredAsync(None);

        var found = await Tasks.ListUnpublishedAsync(TimeSpan.FromSeconds(5), 10, None);

        Assert.That(found.Select(t => t.Id), Is.EqualTo((long[])[claim.Id]));
    }

    [Test]
    public async Task ListAsync_FiltersByStateWorkerAndKallable_NewestFirst()
    {
        await Workers.AddAsync("video", 2, "", None);
        var a = await Tasks.InsertAsync(NewTask("MyLib.Jobs.Bark", "default"), None);
        var b = await Tasks.InsertAsync(NewTask("MyLib.Jobs.Add", "default"), None);
        var c = await Tasks.InsertAsync(NewTask("MyLib.Jobs.Bark", "video"), None);
        var d = await Tasks.InsertAsync(NewTask("MyLib.Jobs.Bark", "video"), None);
        var claim = await Tasks.TryClaimAsync(d, "video", "daemon-1", "host-a:101", Lease, None);
        await Tasks.CompleteAsync(claim!, TaskOutcome.Failed("X", "y"), [], None);

        Assert.Multiple(async () =>
        {
            Assert.That(await Ids(new TaskQuery()), Is.EqualTo((long[])[d, c, b, a]));
            Assert.That(await Ids(new TaskQuery { State = TaskState.Queued }), Is.EqualTo((long[])[c, b, a]));
            Assert.That(await Ids(new TaskQuery { State = TaskState.Failed }), Is.EqualTo((long[])[d]));
            Assert.That(await Ids(new TaskQuery { Worker = "video" }), Is.EqualTo((long[])[d, c]));
            Assert.That(await Ids(new TaskQuery { Kallable = "MyLib.Jobs.Bark" }), Is.EqualTo((long[])[d, c, a]));
            Assert.That(await Ids(new TaskQuery { Kallable = "MyLib.Jobs.Bark", Worker = "video", State = TaskState.Queued }), Is.EqualTo((long[])[c]));
            Assert.That(await Ids(new TaskQuery { Limit = 2 }), Is.EqualTo((long[])[d, c]));
            Assert.That(await Ids(new TaskQuery { Worker = "nobody" }), Is.Empty);
        });
    }

    [Test]
    public async Task CountByWorkerAndStateAsync_CountsEachPair()
    {
        await Workers.AddAsync("video", 2, "", None);
        await Tasks.InsertAsync(NewTask(worker: "default"), None);
        await Tasks.InsertAsync(NewTask(worker: "default"), None);
        var running = await Tasks.InsertAsync(NewTask(worker: "video"), None);
        await Tasks.TryClaimAsync(running, "video", "daemon-1", "host-a:101", Lease, None);
        await Tasks.InsertAsync(NewTask(worker: "video"), None);

        var counts = await Tasks.CountByWorkerAndStateAsync(None);

        Assert.That(counts, Is.EquivalentTo(new Dictionary<(string, TaskState), long>
        {
            [("default", TaskState.Queued)] = 2,
            [("video", TaskState.Running)] = 1,
            [("video", TaskState.Queued)] = 1,
        }));
    }

    [Test]
    public async Task CountByWorkerAndStateAsync_IsEmpty_WithoutTasks()
    {
        Assert.That(await Tasks.CountByWorkerAndStateAsync(None), Is.Empty);
    }

    private async Task<ClaimedTask> InsertAndClaimAsync(int maxAttempts = 3)
    {
        var id = await Tasks.InsertAsync(NewTask(maxAttempts: maxAttempts), None);
        return (await Tasks.TryClaimAsync(id, "default", "daemon-1", "host-a:101", Lease, None))!;
    }

    private async Task<IEnumerable<long>> Ids(TaskQuery query) => (await Tasks.ListAsync(query, None)).Select(t => t.Id);

    private List<TaskLogEntry> Lines(params string[] messages) =>
        messages.Select((m, i) => new TaskLogEntry(Clock.Now.AddMilliseconds(i), TaskLogLevel.Information, m)).ToList();

    private (string? Owner, long? ExpiresAt) LeaseOf(long id)
    {
        using var connection = OpenRaw();
        var lease = connection.QuerySingleOrDefault<(string? Owner, long? ExpiresAt)?>("SELECT lease_owner, lease_expires_at FROM tasks WHERE id = @id", new { id });
        Assert.That(lease, Is.Not.Null, $"task {id} exists");
        return lease!.Value;
    }

    /// <summary>Queued, but started as many times as allowed: what a task looks like after its runs kept killing their process.</summary>
    private void ExhaustAttempts(long id)
    {
        using var connection = OpenRaw();
        Assert.That(connection.Execute("UPDATE tasks SET attempts = max_attempts WHERE id = @id", new { id }), Is.EqualTo(1));
    }
}

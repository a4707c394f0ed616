using Carrot.Daemon.Consuming;
using Carrot.Errors;
using Carrot.Lifecycle;
using Carrot.Storage;
using Carrot.Tasks;
using Carrot.Tests.Integration.Storage;
using Dapper;

namespace Carrot.Tests.Integration.Daemon;

/// <summary>The daemon's one writer, against a real SQLite file: grouped batches, a poisoned write, a locked database, shutdown.</summary>
[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres)]
public sealed class GroupCommitWriterTests(StoreKind kind) : StorageTestBase(kind)
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);
    private static readonly CancellationToken None = CancellationToken.None;

    protected override int BusyTimeoutSeconds => 1;

    [Test]
    public async Task AMixedBatch_OfClaimsOutcomesAndHandBacks_CommitsEveryWrite()
    {
        // Room for every claim at once: the slot limit has its own test.
        await Workers.UpdateAsync("default", 10, null, None);
        var ids = await Tasks.InsertManyAsync(Enumerable.Range(0, 6).Select(_ => NewTask()).ToList(), None);
        await using var writer = NewWriter();
        var toFinish = (await writer.TryClaimAsync(ids[0], "default", "d-1", "h:1", Lease, None))!;
        var toHandBack = (await writer.TryClaimAsync(ids[1], "default", "d-1", "h:1", Lease, None))!;

        // Queued together, without awaiting one another: they share the writer's next transactions.
        var claims = ids.Skip(2).Select(id => writer.TryClaimAsync(id, "default", "d-1", "h:1", Lease, None)).ToList();
        var finished = writer.CompleteAsync(toFinish, _ => TaskOutcome.Succeeded("1"), [Line("done")], None);
        var handedBack = writer.ReleaseAsync(toHandBack, [], republish: true, None);
        await Task.WhenAll(claims);

        Assert.Multiple(async () =>
        {
            Assert.That(claims.Select(c => c.Result?.Id), Is.EqualTo(ids.Skip(2).Select(id => (long?)id)));
            Assert.That((await finished)!.State, Is.EqualTo(TaskState.Succeeded));
            Assert.That(await handedBack, Is.EqualTo(HandBack.Queued));
            Assert.That((await Tasks.GetAsync(ids[0], None))!.State, Is.EqualTo(TaskState.Succeeded));
            Assert.That((await Tasks.GetAsync(ids[1], None))!.PublishedAt, Is.Null, "its message was acked at the claim, so the relay sends it again");
            Assert.That(Scalar<long>("SELECT count(*) FROM tasks WHERE status = 'running'"), Is.EqualTo(4));
        });
    }

    [Test]
    public async Task APoisonedWrite_FailsAlone_NotRetried_WhileItsNeighboursCommit()
    {
        var ids = await Tasks.InsertManyAsync([NewTask(), NewTask()], None);
        await using var writer = NewWriter();
        var poisoned = (await writer.TryClaimAsync(ids[0], "default", "d-1", "h:1", Lease, None))!;
        var healthy = (await writer.TryClaimAsync(ids[1], "default", "d-1", "h:1", Lease, None))!;
        // Its row goes away under it: its log line now breaks the foreign key, which no retry will ever fix.
        using (var raw = OpenRaw())
        {
            raw.Execute("DELETE FROM tasks WHERE id = @id", new { id = poisoned.Id });
        }

        var bad = writer.CompleteAsync(poisoned, _ => TaskOutcome.Succeeded("1"), [Line("orphan")], None);
        var good = writer.CompleteAsync(healthy, _ => TaskOutcome.Succeeded("2"), [Line("kept")], None);

        var error = Assert.ThrowsAsync<CarrotStoreException>(async () => await bad);
        Assert.Multiple(async () =>
        {
            Assert.That(error!.IsTransient, Is.False, "StoreRetry must not loop on it");
            Assert.That((await good)!.State, Is.EqualTo(TaskState.Succeeded));
            Assert.That((await Tasks.GetLogsAsync(healthy.Id, None)).Select(l => l.Message), Is.EqualTo(new[] { "kept" }));
        });

        var retry = new StoreRetry(Serilog.Core.Logger.None);
        var calls = 0;
        Assert.ThrowsAsync<CarrotStoreException>(() => retry.RunAsync("write", async ct =>
        {
            calls++;
            return await writer.CompleteAsync(poisoned, _ => TaskOutcome.Succeeded("1"), [Line("orphan")], ct);
        }, None));
        Assert.That(calls, Is.EqualTo(1), "an error of the write itself is tried once");
        Assert.That(await writer.CompleteAsync(poisoned, _ => TaskOutcome.Succeeded("1"), [], None), Is.Null, "without the line it writes and finds the lease gone");
    }

    [Test]
    public async Task ALockedDatabase_FailsTheBatchAsTransient_AndTheSameWriteSucceedsOnceTheLockIsGone()
    {
        var id = await Tasks.InsertAsync(NewTask(), None);
        await using var writer = NewWriter();
        using var holder = OpenRaw();
        // SQLite's write lock, or a lock on the table that outlasts the engine's lock_timeout (the same busyTimeoutSeconds).
        holder.Execute(Kind == StoreKind.Sqlite ? "BEGIN IMMEDIATE" : "BEGIN; LOCK TABLE tasks IN EXCLUSIVE MODE");

        var error = Assert.ThrowsAsync<CarrotStoreException>(() => writer.TryClaimAsync(id, "default", "d-1", "h:1", Lease, None));
        Assert.That(error!.IsTransient, Is.True);

        var retry = new StoreRetry(Serilog.Core.Logger.None);
        var claiming = retry.RunAsync("claim", ct => writer.TryClaimAsync(id, "default", "d-1", "h:1", Lease, ct), None);
        await Task.Delay(1500);
        holder.Execute("ROLLBACK");

        Assert.That((await claiming)!.Id, Is.EqualTo(id), "retried until the lock went");
    }

    [Test]
    public async Task OnDispose_QueuedWritesAreCommitted_AndLaterOnesRefused()
    {
        var id = await Tasks.InsertAsync(NewTask(), None);
        var writer = NewWriter();
        var claim = writer.TryClaimAsync(id, "default", "d-1", "h:1", Lease, None);

        await writer.DisposeAsync();

        Assert.That((await claim)!.Id, Is.EqualTo(id));
        var late = Assert.ThrowsAsync<CarrotStoreException>(() => writer.TryClaimAsync(id, "default", "d-1", "h:1", Lease, None));
        Assert.That(late!.IsTransient, Is.False);
    }

    [Test]
    public async Task AClaim_OnAnotherWorkersQueue_AfterACancelRequest_OrBesideALiveRunaway_TakesNothing()
    {
        await Workers.AddAsync("files", 1, "", None);
        var ids = await Tasks.InsertManyAsync([NewTask(worker: "files"), NewTask(), NewTask()], None);
        await Daemons.RegisterAsync("d-1", "h", "h", 1, "0.1.0", None);
        await using var writer = NewWriter();

        Assert.That(await writer.TryClaimAsync(ids[0], "default", "d-1", "h:1", Lease, None), Is.Null, "a message on the wrong queue");

        await Tasks.CancelAsync(ids[1], None);
        using (var raw = OpenRaw())
        {
            raw.Execute("UPDATE tasks SET status = 'queued', finished_at = NULL WHERE id = @id", new { id = ids[1] });
        }

        Assert.That(await writer.TryClaimAsync(ids[1], "default", "d-1", "h:1", Lease, None), Is.Null, "cancel requested");

        var runaway = (await writer.TryClaimAsync(ids[2], "default", "d-1", "h:1", Lease, None))!;
        var end = new AttemptEnd(AttemptEndKind.RunawayAfterTimeout, ErrorMessage: "ignored its token");
        await writer.CompleteAsync(runaway, c => AttemptOutcomes.Decide(end, runaway, c, new OutcomeSettings(3, 1000), Clock.Now), [], None);
        await Tasks.RetryAsync(ids[2], worker: null, defaultRetries: 2, None);
        Assert.That(await writer.TryClaimAsync(ids[2], "default", "d-2", "h:2", Lease, None), Is.Null, "its runaway copy still runs in a live daemon");

        await Tasks.ClearRunawayAsync(ids[2], "d-1", None);
        Assert.That(await writer.TryClaimAsync(ids[2], "default", "d-2", "h:2", Lease, None), Is.Not.Null, "once the copy ended");
    }

    [Test]
    public async Task ARunawayMark_OfADaemonSilentForALease_HoldsNothingBack()
    {
        var id = await Tasks.InsertAsync(NewTask(), None);
        await Daemons.RegisterAsync("d-1", "h", "h", 1, "0.1.0", None);
        await using var writer = NewWriter();
        var runaway = (await writer.TryClaimAsync(id, "default", "d-1", "h:1", Lease, None))!;
        var end = new AttemptEnd(AttemptEndKind.RunawayAfterCancel, ErrorMessage: "ignored its token");
        await writer.CompleteAsync(runaway, c => AttemptOutcomes.Decide(end, runaway, c, new OutcomeSettings(3, 1000), Clock.Now), [], None);
        await Tasks.RetryAsync(id, worker: null, defaultRetries: 2, None);

        Clock.Advance(Lease + TimeSpan.FromSeconds(1));

        Assert.That(await writer.TryClaimAsync(id, "default", "d-2", "h:2", Lease, None), Is.Not.Null);
    }

    [Test]
    public async Task AHandBack_AfterACancelRequest_EndsCancelled_AndIsNeverClaimedAgain()
    {
        var id = await Tasks.InsertAsync(NewTask(), None);
        await using var writer = NewWriter();
        var claim = (await writer.TryClaimAsync(id, "default", "d-1", "h:1", Lease, None))!;
        await Tasks.CancelAsync(id, None);

        Assert.That(await writer.ReleaseAsync(claim, [Line("interrupted")], republish: true, None), Is.EqualTo(HandBack.Cancelled));

        var task = (await Tasks.GetAsync(id, None))!;
        Assert.Multiple(async () =>
        {
            Assert.That(task.State, Is.EqualTo(TaskState.Cancelled));
            Assert.That(await writer.TryClaimAsync(id, "default", "d-2", "h:2", Lease, None), Is.Null);
            Assert.That((await Tasks.GetLogsAsync(id, None)).Single().Message, Is.EqualTo("interrupted"));
        });
    }

    [Test]
    public async Task AnOutcome_AfterACancelRequestItDidNotKnowOf_IsDecidedAgainKnowingIt_WhileItsNeighbourCommits()
    {
        var ids = await Tasks.InsertManyAsync([NewTask(), NewTask()], None);
        await using var writer = NewWriter();
        var cancelled = (await writer.TryClaimAsync(ids[0], "default", "d-1", "h:1", Lease, None))!;
        var neighbour = (await writer.TryClaimAsync(ids[1], "default", "d-1", "h:1", Lease, None))!;
        await Tasks.CancelAsync(ids[0], None);
        var asked = new List<bool>();

        // The writer first sends the outcome decided as if no cancel was asked for; the fence shows one was.
        var first = writer.CompleteAsync(cancelled, cancelRequested =>
        {
            asked.Add(cancelRequested);
            return cancelRequested ? AttemptOutcomes.CancelledAtHandBack() : TaskOutcome.Succeeded("1");
        }, [Line("ran")], None);
        var second = writer.CompleteAsync(neighbour, _ => TaskOutcome.Succeeded("2"), [], None);

        Assert.Multiple(async () =>
        {
            Assert.That((await first)!.State, Is.EqualTo(TaskState.Cancelled));
            Assert.That(asked, Is.EqualTo(new[] { false, true }));
            Assert.That((await second)!.State, Is.EqualTo(TaskState.Succeeded));
            Assert.That((await Tasks.GetAsync(ids[0], None))!.State, Is.EqualTo(TaskState.Cancelled));
            Assert.That((await Tasks.GetAsync(ids[0], None))!.Result, Is.Null, "the success it assumed was never applied");
            Assert.That((await Tasks.GetLogsAsync(ids[0], None)).Select(l => l.Message), Is.EqualTo(new[] { "ran" }), "its lines are written once");
            Assert.That(Scalar<long>($"SELECT count(*) FROM task_attempts WHERE task_id = {ids[0]} AND status = 'cancelled'"), Is.EqualTo(1));
        });
    }

    private GroupCommitWriter NewWriter() => new(Engine, Clock, Serilog.Core.Logger.None);

    private TaskLogEntry Line(string message) => new(Clock.Now, Carrot.Logging.TaskLogLevel.Information, message);
}

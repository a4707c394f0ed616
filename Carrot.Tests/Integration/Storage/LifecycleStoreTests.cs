using Carrot.Lifecycle;
using Carrot.Storage;
using Carrot.Tasks;

namespace Carrot.Tests.Integration.Storage;

/// <summary>Retries, delays, cancellation, manual retry and purging, on a real SQLite file with a clock the test moves.</summary>
[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres)]
public sealed class LifecycleStoreTests(StoreKind kind) : StorageTestBase(kind)
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);
    private static readonly CancellationToken None = CancellationToken.None;

    [Test]
    public async Task FailedAttemptWithRetryAt_IsScheduled_AndPromotedOnceWhenDue()
    {
        var claim = await InsertAndClaimAsync();
        var retryAt = Clock.Now.AddSeconds(30);

        var recorded = await Tasks.CompleteAsync(claim, TaskOutcome.Failed("System.Exception", "boom") with { RetryAt = retryAt }, [], None);

        var task = (await Tasks.GetAsync(claim.Id, None))!;
        Assert.Multiple(() =>
        {
            Assert.That(recorded, Is.True);
            Assert.That(task.State, Is.EqualTo(TaskState.Scheduled));
            Assert.That(task.RunAt, Is.EqualTo(retryAt));
            Assert.That(task.FinishedAt, Is.Null);
            Assert.That(task.ErrorMessage, Is.EqualTo("boom"));
        });

        Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.That(await Tasks.PromoteDueAsync(10, None), Is.Empty, "not due yet");
        Assert.That(await Tasks.NextDueAsync(None), Is.EqualTo(retryAt));

        Clock.Advance(TimeSpan.FromSeconds(1));
        var promoted = await Tasks.PromoteDueAsync(10, None);
        var again = await Tasks.PromoteDueAsync(10, None);

        Assert.That(promoted.Select(p => p.Id), Is.EqualTo(new[] { claim.Id }));
        Assert.That(again, Is.Empty, "a second promoter (another daemon) finds nothing");
        var queued = (await Tasks.GetAsync(claim.Id, None))!;
        Assert.That(queued.State, Is.EqualTo(TaskState.Queued));
        Assert.That(queued.PublishedAt, Is.Null);
        Assert.That((await Tasks.TryClaimAsync(claim.Id, "default", "daemon-1", "host-a:1", Lease, None))!.Attempt, Is.EqualTo(2));
    }

    [Test]
    public async Task EveryAttempt_KeepsItsOwnError()
    {
        var id = await Tasks.InsertAsync(NewTask(maxAttempts: 3), None);
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var claim = (await Tasks.TryClaimAsync(id, "default", "daemon-1", "host-a:1", Lease, None))!;
            var outcome = TaskOutcome.Failed("System.Exception", $"failure {attempt}");
            await Tasks.CompleteAsync(claim, attempt < 3 ? outcome with { RetryAt = Clock.Now } : outcome, [], None);
            Clock.Advance(TimeSpan.FromSeconds(1));
            await Tasks.PromoteDueAsync(10, None);
        }

        var attempts = await Tasks.GetAttemptsAsync(id, None);

        Assert.That(attempts.Select(a => (a.Attempt, a.Status, a.ErrorMessage)), Is.EqualTo(new[]
        {
            (1, "failed", "failure 1"), (2, "failed", "failure 2"), (3, "failed", "failure 3"),
        }));
        Assert.That((await Tasks.GetAsync(id, None))!.State, Is.EqualTo(TaskState.Failed));
    }

    [Test]
    public async Task DelayedTask_IsInsertedScheduled_NotQueued()
    {
        var id = await Tasks.InsertAsync(NewTask() with { RunAt = Clock.Now.AddMinutes(5) }, None);

        var task = (await Tasks.GetAsync(id, None))!;

        Assert.That(task.State, Is.EqualTo(TaskState.Scheduled));
        Assert.That(task.QueuedAt, Is.Null);
        Assert.That(await Tasks.ListUnpublishedAsync(TimeSpan.Zero, 10, None), Is.Empty, "the relay must not publish it early");
        Assert.That(await Tasks.TryClaimAsync(id, "default", "daemon-1", "host-a:1", Lease, None), Is.Null, "a stray message cannot start it early");
    }

    [Test]
    public async Task CancelQueuedOrScheduled_EndsItAtOnce_AndAClaimFindsNothing()
    {
        var queued = await Tasks.InsertAsync(NewTask(), None);
        var scheduled = await Tasks.InsertAsync(NewTask() with { RunAt = Clock.Now.AddHours(1) }, None);

        Assert.That(await Tasks.CancelAsync(queued, None), Is.EqualTo(TaskState.Cancelled));
        Assert.That(await Tasks.CancelAsync(scheduled, None), Is.EqualTo(TaskState.Cancelled));

        Assert.That(await Tasks.TryClaimAsync(queued, "default", "daemon-1", "host-a:1", Lease, None), Is.Null);
        Clock.Advance(TimeSpan.FromHours(2));
        Assert.That(await Tasks.PromoteDueAsync(10, None), Is.Empty);
        Assert.That(await Tasks.CancelAsync(queued, None), Is.Null, "already finished: nothing to cancel");
        Assert.That(await Tasks.CancelAsync(999, None), Is.Null);
    }

    [Test]
    public async Task CancelRunning_MarksIt_ForItsDaemonOnly_AndAFailureThenEndsCancelledNotRetried()
    {
        var claim = await InsertAndClaimAsync();

        Assert.That(await Tasks.CancelAsync(claim.Id, None), Is.EqualTo(TaskState.Running));
        Assert.That(await Tasks.ListCancelRequestedAsync("daemon-1", None), Is.EqualTo(new[] { claim.Id }));
        Assert.That(await Tasks.ListCancelRequestedAsync("daemon-2", None), Is.Empty);

        // The token did not fire (the request came as the task failed): the row's flag, read under the write lock, decides.
        var failure = AttemptEnd.Threw(new InvalidOperationException("failed anyway"));
        await Tasks.CompleteAsync(claim, cancelled => AttemptOutcomes.Decide(failure, claim, cancelled, new OutcomeSettings(3, 1000), Clock.Now), [], None);

        var task = (await Tasks.GetAsync(claim.Id, None))!;
        Assert.That(task.State, Is.EqualTo(TaskState.Cancelled));
        Assert.That(task.FinishedAt, Is.EqualTo(Clock.Now));
    }

    [Test]
    public async Task CancelledRunningTaskOfADeadDaemon_StaysCancelled()
    {
        var claim = await InsertAndClaimAsync();
        await Tasks.CancelAsync(claim.Id, None);
        Clock.Advance(Lease + TimeSpan.FromSeconds(1));

        await Tasks.RescueExpiredAsync(None);

        var task = (await Tasks.GetAsync(claim.Id, None))!;
        Assert.That(task.State, Is.EqualTo(TaskState.Cancelled));
        Assert.That((await Tasks.GetAttemptsAsync(claim.Id, None)).Single().Status, Is.EqualTo("lost"));
    }

    [Test]
    public async Task Retry_RequeuesAFailedTask_KeepingItsHistory_WithAFreshBudget()
    {
        var claim = await InsertAndClaimAsync(maxAttempts: 1);
        await Tasks.CompleteAsync(claim, TaskOutcome.Failed("System.Exception", "first"), [], None);

        var retried = (await Tasks.RetryAsync(claim.Id, worker: null, defaultRetries: 2, None)).Retried;

        var task = (await Tasks.GetAsync(claim.Id, None))!;
        Assert.Multiple(() =>
        {
            Assert.That(retried.Select(r => r.Id), Is.EqualTo(new[] { claim.Id }));
            Assert.That(task.State, Is.EqualTo(TaskState.Queued));
            Assert.That(task.Attempts, Is.EqualTo(1));
            Assert.That(task.MaxAttempts, Is.EqualTo(4));
            Assert.That(task.ErrorType, Is.Null);
        });
        var second = (await Tasks.TryClaimAsync(claim.Id, "default", "daemon-1", "host-a:1", Lease, None))!;
        Assert.That(second.Attempt, Is.EqualTo(2));
        Assert.That(second.AttemptBase, Is.EqualTo(1));
        Assert.That((await Tasks.GetAttemptsAsync(claim.Id, None)).Single().ErrorMessage, Is.EqualTo("first"));
    }

    [Test]
    public async Task RetryFailed_TakesOnlyFailedTasks_OfTheGivenWorker()
    {
        await Workers.AddAsync("files", 1, "", None);
        var failedHere = await FailAsync(NewTask(worker: "files"));
        var failedElsewhere = await FailAsync(NewTask(worker: "default"));
        var succeeded = await InsertAndClaimAsync();
        await Tasks.CompleteAsync(succeeded, TaskOutcome.Succeeded("1"), [], None);

        var retried = (await Tasks.RetryAsync(id: null, worker: "files", defaultRetries: 2, None)).Retried;

        Assert.That(retried.Select(r => r.Id), Is.EqualTo(new[] { failedHere }));
        Assert.That((await Tasks.GetAsync(failedElsewhere, None))!.State, Is.EqualTo(TaskState.Failed));
        Assert.That((await Tasks.GetAsync(succeeded.Id, None))!.State, Is.EqualTo(TaskState.Succeeded));
    }

    [Test]
    public async Task Purge_DeletesOnlyOldFinishedTasksOfThatState_WithTheirLogsAndAttempts()
    {
        var old = await InsertAndClaimAsync();
        await Tasks.CompleteAsync(old, TaskOutcome.Succeeded("1"), [new TaskLogEntry(Clock.Now, Carrot.Logging.TaskLogLevel.Information, "hi")], None);
        var oldFailed = await FailAsync(NewTask());
        Clock.Advance(TimeSpan.FromDays(8));
        var recent = await InsertAndClaimAsync();
        await Tasks.CompleteAsync(recent, TaskOutcome.Succeeded("2"), [], None);
        var pending = await Tasks.InsertAsync(NewTask(), None);

        var purged = await Tasks.PurgeBatchAsync(TaskState.Succeeded, Clock.Now - TimeSpan.FromDays(7), 100, None);

        Assert.That(purged, Is.EqualTo(1));
        Assert.That(await Tasks.GetAsync(old.Id, None), Is.Null);
        Assert.That(await Tasks.GetAsync(oldFailed, None), Is.Not.Null, "failed tasks are another state");
        Assert.That(await Tasks.GetAsync(recent.Id, None), Is.Not.Null);
        Assert.That(await Tasks.GetAsync(pending, None), Is.Not.Null);
        Assert.That(Scalar<long>("SELECT count(*) FROM task_logs WHERE task_id = @Id", new { old.Id }), Is.Zero);
        Assert.That(Scalar<long>("SELECT count(*) FROM task_attempts WHERE task_id = @Id", new { old.Id }), Is.Zero);
        Assert.Throws<ArgumentOutOfRangeException>(() => Tasks.PurgeBatchAsync(TaskState.Queued, Clock.Now, 100, None));
    }

    [Test]
    public async Task Purge_WorksInBatches()
    {
        for (var i = 0; i < 7; i++)
        {
            await FailAsync(NewTask());
        }

        Clock.Advance(TimeSpan.FromDays(1));
        var batches = new List<int>();
        int batch;
        do
        {
            batch = await Tasks.PurgeBatchAsync(TaskState.Failed, Clock.Now, 3, None);
            batches.Add(batch);
        }
        while (batch == 3);

        Assert.That(batches, Is.EqualTo(new[] { 3, 3, 1 }));
    }

    private async Task<long> FailAsync(NewTask task)
    {
        var id = await Tasks.InsertAsync(task with { MaxAttempts = 1 }, None);
        var claim = (await Tasks.TryClaimAsync(id, task.Worker, "daemon-1", "host-a:1", Lease, None))!;
        await Tasks.CompleteAsync(claim, TaskOutcome.Failed("System.Exception", "boom"), [], None);
        return id;
    }

    private async Task<ClaimedTask> InsertAndClaimAsync(int maxAttempts = 3)
    {
        var id = await Tasks.InsertAsync(NewTask(maxAttempts: maxAttempts), None);
        return (await Tasks.TryClaimAsync(id, "default", "daemon-1", "host-a:1", Lease, None))!;
    }
}

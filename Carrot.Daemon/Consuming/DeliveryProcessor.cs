using System.Collections.Concurrent;
using Carrot.Configuration;
using Carrot.Daemon.Execution;
using Carrot.Daemon.Hosting;
using Carrot.Messaging;
using Carrot.Storage;
using Carrot.Tasks;

namespace Carrot.Daemon.Consuming;

/// <summary>
/// The life of one delivery. Checkpoints, in order:
/// 1. the claim (queued → running, attempt counted, lease taken) commits before any task code runs, so a
///    duplicate delivery finds nothing to claim;
/// 2. the outcome commits, fenced by owner and attempt, before the ack, so a crash between them re-runs the
///    task rather than losing it;
/// 3. only then is the message acked.
/// A runner does not wait for step 2 before taking its next delivery: the outcome of one task and the claim of
/// the next go into the same group commit (<see cref="GroupCommitWriter"/>), and the ack follows the commit.
/// </summary>
internal sealed class DeliveryProcessor(
    TaskStore tasks,
    GroupCommitWriter writer,
    TaskExecutor executor,
    DaemonIdentity identity,
    CarrotOptions options,
    StoreRetry retry,
    RunAloneGate gate,
    RetryPolicy retryPolicy,
    Serilog.ILogger logger)
{
    private readonly ConcurrentDictionary<long, RunningTask> _running = new();

    public int RunningCount => _running.Count;

    /// <summary>Fires the token of a task this daemon runs (someone ran 'carrot tasks cancel'). False when it does not run it (any more).</summary>
    public bool RequestCancel(long taskId)
    {
        if (!_running.TryGetValue(taskId, out var running) || running.Cancel.IsCancellationRequested)
        {
            return false;
        }

        logger.Information("Task {TaskId} cancel requested; firing its cancellation token", taskId);
        try
        {
            running.Cancel.Cancel();
            return true;
        }
        catch (ObjectDisposedException)
        {
            // It ended between the lookup and the cancel.
            return false;
        }
    }

    /// <summary>
    /// Claims and runs the delivery's task. The returned task completes when the task's code is done; the task it
    /// holds completes when the outcome is committed, with what to do with the message then.
    /// </summary>
    public async Task<Task<AckDecision>> ProcessAsync(Delivery delivery, string worker, ShutdownTokens shutdown)
    {
        if (!TaskMessage.TryDecode(delivery.Body, out var taskId))
        {
            logger.Warning("Dead-lettering a malformed message on worker {Worker}: {Body}", worker, TaskMessage.Preview(delivery.Body));
            return Decided(AckDecision.DeadLetter);
        }

        // Most tasks never ran before: they take a shared slot and are claimed straight away. A task that must run
        // alone (its daemon died running it) is seen in its claim; it is handed back at once (attempt not
        // counted) and claimed again once it holds the gate alone, so waiting for its turn never costs an attempt.
        var first = await ClaimInSlotAsync(taskId, worker, alone: false, shutdown);
        if (first.Claim is not { RunAlone: true } mustRunAlone)
        {
            return first.Decided;
        }

        await retry.RunAsync("hand back a task that must run alone", ct => tasks.ReleaseAsync(mustRunAlone, [], ct), shutdown.Abandon);
        return (await ClaimInSlotAsync(taskId, worker, alone: true, shutdown)).Decided;
    }

    /// <summary>
    /// Takes a gate slot, claims, and runs the task unless the claim says it must run alone and the slot is
    /// shared: then the claim comes back, still held, for the caller to hand back.
    /// </summary>
    private async Task<(Task<AckDecision> Decided, ClaimedTask? Claim)> ClaimInSlotAsync(long taskId, string worker, bool alone, ShutdownTokens shutdown)
    {
        await using var slot = await TryEnterAsync(alone, shutdown);
        if (slot is null)
        {
            return (Decided(AckDecision.Requeue), null);
        }

        var lease = TimeSpan.FromSeconds(options.LeaseSeconds);
        var claim = await retry.RunAsync("claim a task", ct => writer.TryClaimAsync(taskId, identity.Id, identity.Node, lease, ct), shutdown.Abandon);
        if (claim is null)
        {
            await ExplainUnclaimableAsync(taskId, worker, shutdown);
            return (Decided(AckDecision.Ack), null);
        }

        return claim.RunAlone && !alone ? (Decided(AckDecision.Requeue), claim) : (await RunAsync(claim, shutdown), null);
    }

    private async Task<IAsyncDisposable?> TryEnterAsync(bool alone, ShutdownTokens shutdown)
    {
        try
        {
            return await gate.EnterAsync(alone, shutdown.Interrupt);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private static Task<AckDecision> Decided(AckDecision decision) => Task.FromResult(decision);

    private async Task<Task<AckDecision>> RunAsync(ClaimedTask claim, ShutdownTokens shutdown)
    {
        using var running = new RunningTask(claim);
        _running[claim.Id] = running;
        try
        {
            return await RunClaimedAsync(running, shutdown);
        }
        finally
        {
            _running.TryRemove(claim.Id, out _);
        }
    }

    /// <summary>Hands back every task still held, at the very end of a shutdown, so none is left running in the table.</summary>
    public async Task ReleaseAllAsync(CancellationToken cancellationToken)
    {
        foreach (var running in _running.Values)
        {
            if (await tasks.ReleaseAsync(running.Claim, [], cancellationToken))
            {
                logger.Warning("Task {TaskId} ignored its cancellation token past the grace period; handed back to the queue", running.Claim.Id);
            }
        }
    }

    private async Task<Task<AckDecision>> RunClaimedAsync(RunningTask running, ShutdownTokens shutdown)
    {
        var claim = running.Claim;
        if (claim.RunAlone)
        {
            logger.Information("Task {TaskId} {Kallable} started on {Worker} (attempt {Attempt}), alone: its daemon died while running it", claim.Id, claim.Kallable, claim.Worker, claim.Attempt);
        }
        else
        {
            // Debug: at thousands of tasks a second, one line per task (its outcome) is what a journal can take.
            logger.Debug("Task {TaskId} {Kallable} started on {Worker} (attempt {Attempt})", claim.Id, claim.Kallable, claim.Worker, claim.Attempt);
        }
        var result = await executor.ExecuteAsync(claim, new TaskSignals(running.Cancel.Token, shutdown.Interrupt));

        if (result.Outcome is null)
        {
            await retry.RunAsync("hand back an interrupted task", ct => tasks.ReleaseAsync(claim, result.Logs, ct), shutdown.Abandon);
            logger.Information("Task {TaskId} interrupted by shutdown after {ElapsedMs} ms; handed back to the queue", claim.Id, (long)result.Elapsed.TotalMilliseconds);
            return Decided(AckDecision.Requeue);
        }

        // Not awaited: the write is queued now (before this runner's next claim), and the ack waits for its commit.
        return RecordAsync(claim, retryPolicy.Apply(claim, result, result.Outcome), result, shutdown);
    }

    private async Task<AckDecision> RecordAsync(ClaimedTask claim, TaskOutcome outcome, ExecutionResult result, ShutdownTokens shutdown)
    {
        var recorded = await retry.RunAsync("record a task outcome", ct => writer.CompleteAsync(claim, outcome, result.Logs, ct), shutdown.Abandon);
        if (!recorded)
        {
            logger.Warning("Task {TaskId} finished ({State}) but its lease had been lost; the outcome was not recorded, the task's current owner decides", claim.Id, outcome.State.ToName());
        }
        else if (outcome.State == TaskState.Succeeded)
        {
            logger.Information("Task {TaskId} succeeded in {ElapsedMs} ms", claim.Id, (long)result.Elapsed.TotalMilliseconds);
        }
        else if (outcome.State == TaskState.Cancelled)
        {
            logger.Information("Task {TaskId} cancelled after {ElapsedMs} ms", claim.Id, (long)result.Elapsed.TotalMilliseconds);
        }
        else if (outcome.RetryAt is { } retryAt)
        {
            logger.Warning("Task {TaskId} attempt {Attempt} failed in {ElapsedMs} ms: {ErrorType}: {ErrorMessage}; retry at {RetryAt:O}", claim.Id, claim.Attempt, (long)result.Elapsed.TotalMilliseconds, outcome.ErrorType, outcome.ErrorMessage, retryAt);
        }
        else
        {
            logger.Warning("Task {TaskId} failed in {ElapsedMs} ms: {ErrorType}: {ErrorMessage}", claim.Id, (long)result.Elapsed.TotalMilliseconds, outcome.ErrorType, outcome.ErrorMessage);
        }

        return AckDecision.Ack;
    }

    private async Task ExplainUnclaimableAsync(long taskId, string worker, ShutdownTokens shutdown)
    {
        var row = await retry.RunAsync("read a task", ct => tasks.GetAsync(taskId, ct), shutdown.Abandon);
        if (row is null)
        {
            logger.Warning("Dropping a message for task {TaskId} on worker {Worker}: no such task in the database", taskId, worker);
        }
        else if (row.State == TaskState.Queued && row.Attempts >= row.MaxAttempts)
        {
            if (await retry.RunAsync("fail an exhausted task", ct => tasks.FailExhaustedAsync(taskId, ct), shutdown.Abandon))
            {
                logger.Error("Task {TaskId} {Kallable} failed: started {Attempts} times without finishing", taskId, row.Kallable, row.Attempts);
            }
        }
        else
        {
            logger.Debug("Dropping a duplicate message for task {TaskId}, which is {State}", taskId, row.State.ToName());
        }
    }
}

using System.Collections.Concurrent;
using Carrot.Configuration;
using Carrot.Daemon.Execution;
using Carrot.Diagnostics.Telemetry;
using Carrot.Daemon.Hosting;
using Carrot.Errors;
using Carrot.Lifecycle;
using Carrot.Messaging;
using Carrot.Storage;
using Carrot.Tasks;

namespace Carrot.Daemon.Consuming;

/// <summary>
/// The life of one delivery. Checkpoints, in order:
/// 1. the claim (queued → running, attempt counted, lease taken) commits before any task code runs, so a
///    duplicate delivery finds nothing to claim;
/// 2. the message is acked right after the committed claim: from then on the database holds the task (its lease,
///    the rescue and the relay bring it back if this daemon dies), so no message stays unacked for the length of a
///    task and the broker's consumer timeout never closes a channel under a long task;
/// 3. whatever happens between the claim and the outcome — the task's code, Carrot's own code — ends in an
///    outcome, fenced by owner and attempt, decided by <see cref="AttemptOutcomes"/>; or in a hand-back on shutdown.
/// A runner does not wait for step 3's commit before taking its next delivery: the outcome of one task and the claim
/// of the next go into the same group commit (<see cref="GroupCommitWriter"/>).
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
    HeldTasks held,
    Serilog.ILogger logger)
{
    /// <summary>How much of a task's error text goes into carrotd's own log line; the whole (bounded) text is in the database.</summary>
    private const int LoggedErrorChars = 500;

    /// <summary>How long a delivery waits for a free slot of its worker before it goes back to the queue.</summary>
    private static readonly TimeSpan SlotWaitLimit = TimeSpan.FromSeconds(10);

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
    /// Decodes and claims the delivery's task. The admission says what to tell the broker now and, when the claim
    /// was taken, holds the task and its gate slot for <see cref="RunAsync"/>.
    /// </summary>
    public async Task<Admission> AdmitAsync(Delivery delivery, string worker, ShutdownTokens shutdown)
    {
        if (!TaskMessage.TryDecode(delivery.Body, out var taskId))
        {
            logger.Warning("Dead-lettering a malformed message on worker {Worker}: {Body}", worker, TaskMessage.Preview(delivery.Body));
            return new Admission(AckDecision.DeadLetter);
        }

        // Most tasks never ran before: they take a shared slot and are claimed straight away. A task that must run
        // alone (its daemon died running it) is seen in its claim; it is handed back at once (attempt not
        // counted, its message still held) and claimed again once it holds the gate alone, so waiting for its turn
        // never costs an attempt.
        var admission = await ClaimWhenSlotFreeAsync(taskId, worker, alone: false, shutdown);
        if (admission.Claim is not { RunAlone: true } mustRunAlone)
        {
            return admission;
        }

        await admission.DisposeAsync();
        await HandBackAsync(mustRunAlone, [], republish: false, shutdown);
        return await ClaimWhenSlotFreeAsync(taskId, worker, alone: true, shutdown);
    }

    /// <summary>
    /// A worker's concurrency is a limit over every daemon, counted by the store at the claim: when all its slots are
    /// taken (by other hosts), the delivery waits here for one, checking again with a growing pause, and after
    /// <see cref="SlotWaitLimit"/> goes back to the queue, so the broker can hand it to a daemon that has room.
    /// </summary>
    private async Task<Admission> ClaimWhenSlotFreeAsync(long taskId, string worker, bool alone, ShutdownTokens shutdown)
    {
        var pause = TimeSpan.FromMilliseconds(50);
        var waited = TimeSpan.Zero;
        while (true)
        {
            if (await ClaimInSlotAsync(taskId, worker, alone, shutdown) is { } admission)
            {
                return admission;
            }

            if (waited == TimeSpan.Zero)
            {
                logger.Debug("Task {TaskId} waits for a slot: worker {Worker} runs as many tasks as its concurrency, counted over every daemon", taskId, worker);
            }

            if (waited >= SlotWaitLimit)
            {
                return new Admission(AckDecision.Requeue);
            }

            try
            {
                await Task.Delay(pause, shutdown.Interrupt);
            }
            catch (OperationCanceledException)
            {
                return new Admission(AckDecision.Requeue);
            }

            waited += pause;
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 1000));
        }
    }

    /// <summary>
    /// Runs an admitted task. Returns when its code is done (its slot is then free); the task it holds completes when
    /// the outcome is committed. Never throws: every failure after the claim ends as an outcome or a hand-back.
    /// </summary>
    public async Task<Task> RunAsync(Admission admission, ShutdownTokens shutdown)
    {
        var claim = admission.Claim ?? throw new InvalidOperationException("Only a claimed delivery can run.");
        ExecutionResult? result = null;
        Exception? broken = null;
        AttemptEnd? ended = null;
        bool cancelFired;
        try
        {
            using (var running = new RunningTask(claim))
            {
                _running[claim.Id] = running;
                // The attempt's process span is current while its code runs, so the task's own spans nest under it.
                var span = AttemptTelemetry.Start(claim);
                try
                {
                    LogStart(claim);
                    result = await executor.ExecuteAsync(claim, new TaskSignals(running.Cancel.Token, shutdown.Interrupt));
                }
                catch (Exception e)
                {
                    // Carrot's own code failed between the claim and the outcome: the task still gets one.
                    logger.Error(e, "Task {TaskId} {Kallable}: Carrot failed while running it; recording it as failed", claim.Id, claim.Kallable);
                    broken = e;
                }
                finally
                {
                    _running.TryRemove(claim.Id, out _);
                    // No end: interrupted by shutdown, to be handed back.
                    ended = broken is null ? result?.End : AttemptEnd.Broken(broken);
                    AttemptTelemetry.End(span, ended);
                }

                cancelFired = running.Cancel.IsCancellationRequested;
            }

            if (ended is not { } end)
            {
                await HandBackAsync(claim, result!.Logs, republish: true, shutdown);
                logger.Information("Task {TaskId} interrupted by shutdown after {ElapsedMs} ms; handed back to the queue", claim.Id, (long)result.Elapsed.TotalMilliseconds);
                return Task.CompletedTask;
            }

            // Not awaited: the write is queued now, before the gate slot is given back (finally, below), so the next
            // claim — this runner's, or a task waiting to run alone — commits after it in the writer's order. A
            // run-alone task (perhaps one that kills its daemon) never starts before this outcome is committed.
            return RecordAsync(claim, end, result?.Logs ?? [], result?.Elapsed ?? TimeSpan.Zero, cancelFired, shutdown);
        }
        finally
        {
            await admission.DisposeAsync();
        }
    }

    /// <summary>Hands back every task still held, at the very end of a shutdown, so none is left running in the table.</summary>
    public async Task ReleaseAllAsync(CancellationToken cancellationToken)
    {
        foreach (var running in _running.Values)
        {
            if (await writer.ReleaseAsync(running.Claim, [], republish: true, cancellationToken) != HandBack.LeaseLost)
            {
                logger.Warning("Task {TaskId} ignored its cancellation token past the grace period; handed back to the queue", running.Claim.Id);
            }
        }
    }

    /// <summary>Claims in a gate slot; null when the claim found every slot of the worker taken.</summary>
    private async Task<Admission?> ClaimInSlotAsync(long taskId, string worker, bool alone, ShutdownTokens shutdown)
    {
        IAsyncDisposable slot;
        try
        {
            slot = await gate.EnterAsync(alone, shutdown.Interrupt);
        }
        catch (OperationCanceledException)
        {
            return new Admission(AckDecision.Requeue);
        }

        if (shutdown.Interrupt.IsCancellationRequested)
        {
            // Stopping: a task claimed now would only be interrupted and handed back.
            await slot.DisposeAsync();
            return new Admission(AckDecision.Requeue);
        }

        ClaimedTask? claim;
        try
        {
            var lease = TimeSpan.FromSeconds(options.LeaseSeconds);
            claim = await retry.RunAsync("claim a task", ct => writer.TryClaimAsync(taskId, worker, identity.Id, identity.Node, lease, ct), shutdown.Abandon);
        }
        catch
        {
            await slot.DisposeAsync();
            throw;
        }

        if (claim is null)
        {
            await slot.DisposeAsync();
            return await ExplainUnclaimableAsync(taskId, worker, shutdown) is { } decision ? new Admission(decision) : null;
        }

        held.Hold(claim.Id);
        return new Admission(AckDecision.Ack, claim, slot);
    }

    private void LogStart(ClaimedTask claim)
    {
        if (claim.RunAlone)
        {
            logger.Information("Task {TaskId} {Kallable} started on {Worker} (attempt {Attempt}), alone: its daemon died while running it", claim.Id, claim.Kallable, claim.Worker, claim.Attempt);
        }
        else
        {
            // Debug: at thousands of tasks a second, one line per task (its outcome) is what a journal can take.
            logger.Debug("Task {TaskId} {Kallable} started on {Worker} (attempt {Attempt})", claim.Id, claim.Kallable, claim.Worker, claim.Attempt);
        }
    }

    private async Task RecordAsync(ClaimedTask claim, AttemptEnd end, IReadOnlyList<TaskLogEntry> logs, TimeSpan elapsed, bool cancelFired, ShutdownTokens shutdown)
    {
        try
        {
            var settings = new OutcomeSettings(options.MaxAttempts, options.MaxErrorChars);
            var retryAt = retryPolicy.RetryAt(claim.Attempt - claim.AttemptBase);
            TaskOutcome Decide(bool cancelRequested) => AttemptOutcomes.Decide(end, claim, cancelRequested || cancelFired, settings, retryAt);
            TaskOutcome? recorded;
            try
            {
                recorded = await retry.RunAsync("record a task outcome", ct => writer.CompleteAsync(claim, Decide, logs, ct), shutdown.Abandon);
            }
            catch (CarrotStoreException e) when (!e.IsTransient && logs.Count > 0)
            {
                // The outcome cannot be written with its log lines: it is written without them rather than not at all.
                logger.Error("Task {TaskId}: its outcome could not be stored with its {Count} log line(s) ({Reason}); storing it without them", claim.Id, logs.Count, e.Message);
                recorded = await retry.RunAsync("record a task outcome", ct => writer.CompleteAsync(claim, Decide, [], ct), shutdown.Abandon);
            }

            LogOutcome(claim, recorded ?? Decide(false), lost: recorded is null, elapsed);
            if (recorded is not null)
            {
                AttemptTelemetry.Recorded(claim, recorded, elapsed);
            }

        }
        catch (OperationCanceledException) when (shutdown.Abandon.IsCancellationRequested)
        {
            logger.Warning("Task {TaskId} finished but the daemon stopped before its outcome was stored; its lease will run out and it will run again", claim.Id);
        }
        catch (Exception e)
        {
            // Nothing more to try here. The row is no longer held, so its lease runs out and the rescue takes it back.
            logger.Error("Task {TaskId}: its outcome could not be stored ({Reason}); its lease will run out and it will be rescued", claim.Id, e.Message);
        }
        finally
        {
            held.Release(claim.Id);
        }
    }

    private void LogOutcome(ClaimedTask claim, TaskOutcome outcome, bool lost, TimeSpan elapsed)
    {
        var ms = (long)elapsed.TotalMilliseconds;
        if (lost)
        {
            logger.Warning("Task {TaskId} finished ({State}) but its lease had been lost; the outcome was not recorded, the task's current owner decides", claim.Id, outcome.State.ToName());
            return;
        }

        var error = TextLimit.TruncateOrNull(outcome.ErrorMessage, LoggedErrorChars);
        if (outcome.State == TaskState.Succeeded)
        {
            logger.Information("Task {TaskId} succeeded in {ElapsedMs} ms", claim.Id, ms);
        }
        else if (outcome.State == TaskState.Cancelled)
        {
            logger.Information("Task {TaskId} cancelled after {ElapsedMs} ms", claim.Id, ms);
        }
        else if (outcome.RetryAt is { } retryAt)
        {
            logger.Warning("Task {TaskId} attempt {Attempt} failed in {ElapsedMs} ms: {ErrorType}: {ErrorMessage}; retry at {RetryAt:O}", claim.Id, claim.Attempt, ms, outcome.ErrorType, error, retryAt);
        }
        else
        {
            logger.Warning("Task {TaskId} failed in {ElapsedMs} ms: {ErrorType}: {ErrorMessage}", claim.Id, ms, outcome.ErrorType, error);
        }
    }

    private async Task HandBackAsync(ClaimedTask claim, IReadOnlyList<TaskLogEntry> logs, bool republish, ShutdownTokens shutdown)
    {
        try
        {
            var handBack = await retry.RunAsync("hand back a task", ct => writer.ReleaseAsync(claim, logs, republish, ct), shutdown.Abandon);
            if (handBack == HandBack.Cancelled)
            {
                logger.Information("Task {TaskId} was being handed back, but a cancel had been requested: it ends cancelled", claim.Id);
            }
        }
        finally
        {
            held.Release(claim.Id);
        }
    }

    /// <summary>Why a claim found nothing, and what to tell the broker; null when every slot of the worker is taken (wait for one).</summary>
    private async Task<AckDecision?> ExplainUnclaimableAsync(long taskId, string worker, ShutdownTokens shutdown)
    {
        var row = await retry.RunAsync("read a task", ct => tasks.GetAsync(taskId, ct), shutdown.Abandon);
        if (row is null)
        {
            logger.Warning("Dropping a message for task {TaskId} on worker {Worker}: no such task in the database", taskId, worker);
        }
        else if (row.Worker != worker)
        {
            // Running it here would bypass its own worker's pause and concurrency.
            logger.Warning("Dead-lettering a message for task {TaskId} that arrived on worker {Worker}'s queue: the task belongs to worker {TaskWorker}", taskId, worker, row.Worker);
            return AckDecision.DeadLetter;
        }
        else if (row.State == TaskState.Queued && row.Attempts >= row.MaxAttempts)
        {
            if (await retry.RunAsync("fail an exhausted task", ct => tasks.FailExhaustedAsync(taskId, ct), shutdown.Abandon))
            {
                logger.Error("Task {TaskId} {Kallable} failed: started {Attempts} times without finishing", taskId, row.Kallable, row.Attempts);
            }
        }
        else if (row.State == TaskState.Queued && row.CancelRequestedAt is not null)
        {
            await retry.RunAsync("cancel a task", ct => tasks.CancelAsync(taskId, ct), shutdown.Abandon);
            logger.Information("Task {TaskId} was cancelled before it could start again; it will not run", taskId);
        }
        else if (row.State == TaskState.Queued && await retry.RunAsync("count a worker's running tasks", ct => tasks.IsWorkerFullAsync(worker, ct), shutdown.Abandon))
        {
            return null;
        }
        else if (row.State == TaskState.Queued)
        {
            logger.Information("Task {TaskId} waits: an earlier run of it is still running as a runaway; it will be published again after that ends", taskId);
        }
        else
        {
            logger.Debug("Dropping a duplicate message for task {TaskId}, which is {State}", taskId, row.State.ToName());
        }

        return AckDecision.Ack;
    }
}

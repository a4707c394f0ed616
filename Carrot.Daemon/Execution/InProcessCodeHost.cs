using System.Diagnostics;
using Carrot.Configuration;
using Carrot.Daemon.Logging;
using Carrot.Kallables;
using Carrot.Lifecycle;
using Carrot.Logging;
using Carrot.Storage;
using Carrot.Tasks;
using Serilog.Context;

namespace Carrot.Daemon.Execution;

/// <summary>
/// Runs task code on carrotd's own thread pool (an <c>inprocess</c> worker). .NET cannot stop a thread: after a timeout
/// or a cancel, a task that does not end within the runaway grace is recorded anyway and left to run out, tracked by
/// <see cref="RunawayTasks"/>.
/// </summary>
internal sealed class InProcessCodeHost(
    IServiceProvider services,
    TaskLogCapture capture,
    RunawayTasks runaways,
    CarrotOptions options,
    Serilog.ILogger logger,
    TimeProvider clock) : ITaskCodeHost
{
    public async Task<AttemptEnd?> RunAsync(AttemptRun attempt)
    {
        var (claim, signals, timeout, buffer) = (attempt.Claim, attempt.Signals, attempt.Timeout, attempt.Buffer);
        using var timedOut = timeout is { } limit ? new CancellationTokenSource(limit, clock) : new CancellationTokenSource();
        using var token = CancellationTokenSource.CreateLinkedTokenSource(timedOut.Token, signals.CancelRequested, signals.Shutdown);

        // Its own flow, so the task's log capture (an AsyncLocal) never leaks into the consumer loop.
        var run = Task.Run(() => InvokeAsync(attempt, token.Token), CancellationToken.None);
        _ = run.ContinueWith(_ => attempt.Catalog.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        using var giveUp = new CancellationTokenSource();
        var grace = TimeSpan.FromSeconds(options.RunawayGraceSeconds);
        using var onTimeout = timedOut.Token.Register(() => giveUp.CancelAfter(grace));
        using var onCancel = signals.CancelRequested.Register(() => giveUp.CancelAfter(grace));
        KallableOutcome outcome;
        try
        {
            outcome = await run.WaitAsync(giveUp.Token);
        }
        catch (OperationCanceledException) when (giveUp.IsCancellationRequested)
        {
            runaways.Add(claim, run, clock);
            var cancelled = signals.CancelRequested.IsCancellationRequested;
            var why = cancelled ? "was cancelled" : $"timed out after {CodeEnds.Seconds(timeout)}";
            var message = $"The task {why} and ignored its cancellation token for {CodeEnds.Seconds(grace)} more; Carrot stopped waiting and freed its slot, but its code may still be running inside carrotd {claim.LeaseOwner} (see 'carrot status'). Make it observe its CancellationToken, or run its worker with --isolation process, where such a task is stopped for real.";
            buffer.Add(TaskLogLevel.Error, message, TaskLogTrace.Of(Activity.Current));
            logger.Error("Task {TaskId} {Kallable} is a runaway: it {Why} and ignored its cancellation token", claim.Id, claim.Kallable, why);
            return new AttemptEnd(cancelled ? AttemptEndKind.RunawayAfterCancel : AttemptEndKind.RunawayAfterTimeout, ErrorMessage: message);
        }

        if (outcome.Problem is not null)
        {
            buffer.Add(TaskLogLevel.Warning, outcome.Problem, TaskLogTrace.Of(Activity.Current));
        }

        return CodeEnds.Map(outcome.Json, outcome.Error is { } error ? CodeError.From(error) : null, signals, timedOut.IsCancellationRequested, timeout);
    }

    private async Task<KallableOutcome> InvokeAsync(AttemptRun attempt, CancellationToken cancellationToken)
    {
        var claim = attempt.Claim;
        capture.Enter(attempt.Buffer);
        using var taskScope = LogContext.PushProperty("TaskId", claim.Id);
        using var attemptScope = LogContext.PushProperty("Attempt", claim.Attempt);

        var context = new TaskContext(claim.Id, claim.Attempt, claim.Worker, claim.Kallable,
            new TaskLog(logger.ForContext("SourceContext", claim.Kallable)), cancellationToken);
        return await KallableInvoker.InvokeAsync(attempt.Target, attempt.Call, context, services, options.MaxResultChars);
    }
}

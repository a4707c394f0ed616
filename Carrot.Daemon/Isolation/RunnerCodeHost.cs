using System.ComponentModel;
using System.Diagnostics;
using Carrot.Configuration;
using Carrot.Daemon.Execution;
using Carrot.Daemon.Logging;
using Carrot.Daemon.Reloading;
using Carrot.Diagnostics.Telemetry;
using Carrot.Errors;
using Carrot.Kallables.RunnerProtocol;
using Carrot.Lifecycle;
using Carrot.Logging;
using Carrot.Storage;

namespace Carrot.Daemon.Isolation;

/// <summary>
/// Runs task code in a runner of the worker's pool (a <c>process</c> worker). The token's sources are the same as
/// in-process (timeout, cancel request, shutdown) and reach the runner as a cancel frame; a task that ignores it for
/// <c>runawayGraceSeconds</c> after a timeout or a cancel has its runner killed, so its code has really stopped when the
/// outcome is recorded and its slot is free. A runner that dies fails (or retries) only its own task.
/// </summary>
internal sealed class RunnerCodeHost(
    RunnerPools pools,
    WorkerIsolations isolations,
    KallableCatalogSource catalogs,
    CarrotOptions options,
    RunnerSpanEmitter spans,
    Serilog.ILogger logger,
    TimeProvider clock) : ITaskCodeHost
{
    public async Task<AttemptEnd?> RunAsync(AttemptRun attempt)
    {
        // The runner loaded its own copy of the code; the daemon's lease only has to outlive this call.
        using var catalog = attempt.Catalog;
        var (claim, signals, timeout, buffer) = (attempt.Claim, attempt.Signals, attempt.Timeout, attempt.Buffer);
        // The attempt's process span (current here): the parent of what the task code does in the runner.
        var processSpan = Activity.Current;
        RunnerPool pool;
        RunnerProcess runner;
        try
        {
            pool = pools.For(claim.Worker);
            runner = await pool.RentAsync(catalog.Catalog);
        }
        catch (Exception e) when (e is CarrotConfigurationException or InvalidOperationException or TimeoutException or Win32Exception or ObjectDisposedException or IOException)
        {
            buffer.Add(TaskLogLevel.Error, $"No runner could be started for worker {claim.Worker}: {e.Message}", TaskLogTrace.Of(Activity.Current));
            logger.Error("No runner could be started for worker {Worker}: {Reason}", claim.Worker, e.Message);
            return AttemptEnd.Broken(e);
        }

        using var timedOut = timeout is { } limit ? new CancellationTokenSource(limit, clock) : new CancellationTokenSource();
        using var token = CancellationTokenSource.CreateLinkedTokenSource(timedOut.Token, signals.CancelRequested, signals.Shutdown);
        using var onToken = token.Token.Register(() => _ = runner.CancelAsync());
        using var giveUp = new CancellationTokenSource();
        var grace = TimeSpan.FromSeconds(options.RunawayGraceSeconds);
        using var onTimeout = timedOut.Token.Register(() => giveUp.CancelAfter(grace));
        using var onCancel = signals.CancelRequested.Register(() => giveUp.CancelAfter(grace));

        RunnerReply reply;
        var running = runner.RunAsync(claim, buffer, spans.Begin(processSpan));
        try
        {
            reply = await running.WaitAsync(giveUp.Token);
        }
        catch (OperationCanceledException) when (giveUp.IsCancellationRequested)
        {
            var end = await HardStopAsync(attempt, pool, runner, grace);
            // Killed, the runner answers with its death; the spans its code left open end there.
            NoteDroppedSpans(await running, processSpan, buffer);
            return end;
        }

        NoteDroppedSpans(reply, processSpan, buffer);

        if (reply.Frame is not { } frame)
        {
            pool.Discard(runner);
            return Crashed(attempt, runner, reply);
        }

        pool.Return(runner, catalogs.Current, isolations.ConcurrencyOf(claim.Worker), isolations.LimitsOf(claim.Worker));
        switch (frame.Kind)
        {
            case RunnerFrame.SucceededKind:
                if (frame.Problem is not null)
                {
                    buffer.Add(TaskLogLevel.Warning, frame.Problem, TaskLogTrace.Of(Activity.Current));
                }

                return CodeEnds.Map(frame.Result, null, signals, timedOut.IsCancellationRequested, timeout);
            case RunnerFrame.ThrewKind:
                var error = new CodeError(frame.ErrorType ?? "Exception", frame.ErrorMessage ?? "", frame.StackTrace ?? "", frame.DoNotRetry, frame.Cancellation);
                return CodeEnds.Map(null, error, signals, timedOut.IsCancellationRequested, timeout);
            default:
                return AttemptEnd.Broken(new InvalidOperationException($"The runner (pid {runner.Pid}) answered '{frame.Kind}': {frame.Text}"));
        }
    }

    private static void NoteDroppedSpans(RunnerReply reply, Activity? processSpan, TaskLogBuffer buffer)
    {
        if (reply.SpansDropped > 0)
        {
            buffer.Add(TaskLogLevel.Warning, $"The task's code made {reply.SpansDropped} more spans than the {RunnerSpanEmitter.MaxSpansPerAttempt} an attempt in a runner exports; they were not exported.", TaskLogTrace.Of(processSpan));
        }
    }

    private async Task<AttemptEnd> HardStopAsync(AttemptRun attempt, RunnerPool pool, RunnerProcess runner, TimeSpan grace)
    {
        runner.Kill();
        await runner.WaitForExitAsync();
        pool.Discard(runner);
        var cancelled = attempt.Signals.CancelRequested.IsCancellationRequested;
        var why = cancelled ? "was cancelled" : $"timed out after {CodeEnds.Seconds(attempt.Timeout)}";
        var message = $"The task {why} and ignored its cancellation token for {CodeEnds.Seconds(grace)} more; Carrot killed its runner process (pid {runner.Pid}), so its code has stopped.";
        attempt.Buffer.Add(TaskLogLevel.Error, message, TaskLogTrace.Of(Activity.Current));
        logger.Warning("Task {TaskId} {Kallable} {Why} and ignored its cancellation token; its runner {Pid} was killed", attempt.Claim.Id, attempt.Claim.Kallable, why, runner.Pid);
        return cancelled
            ? new AttemptEnd(AttemptEndKind.Cancelled, ErrorType: AttemptOutcomes.CancelledType, ErrorMessage: message)
            : new AttemptEnd(AttemptEndKind.TimedOut, ErrorType: AttemptOutcomes.TimeoutType, ErrorMessage: message);
    }

    private AttemptEnd? Crashed(AttemptRun attempt, RunnerProcess runner, RunnerReply reply)
    {
        var how = reply.ExitCode is { } code ? RunnerExit.Describe(code) : "ended";
        var message = $"The task's runner process (pid {runner.Pid}) {how} while running it; only this task was affected, and the runner is replaced.{RunnerProcess.Quote(reply.StandardError)}";
        attempt.Buffer.Add(TaskLogLevel.Error, message, TaskLogTrace.Of(Activity.Current));
        logger.Warning("Task {TaskId} {Kallable}: its runner {Pid} {How}", attempt.Claim.Id, attempt.Claim.Kallable, runner.Pid, how);

        // Killed with every runner while carrotd stops: handed back, not counted against the task.
        return attempt.Signals.Shutdown.IsCancellationRequested
            ? null
            : new AttemptEnd(AttemptEndKind.Threw, ErrorType: RunnerExit.CrashedType, ErrorMessage: message);
    }
}

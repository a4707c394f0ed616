using System.Diagnostics;
using System.Reflection;
using Carrot.Configuration;
using Carrot.Daemon.Logging;
using Carrot.Daemon.Reloading;
using Carrot.Errors;
using Carrot.Kallables;
using Carrot.Lifecycle;
using Carrot.Logging;
using Carrot.Storage;
using Carrot.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Context;

namespace Carrot.Daemon.Execution;

/// <summary>
/// Runs one attempt: resolve → bind → create (for instance methods, through DI) → invoke → await → map the
/// outcome. Every exception ends here as an outcome; nothing the task does can break the consumer loop.
/// The task's token fires on its timeout, on a cancel request, or when the daemon's shutdown grace ends. After a
/// timeout or a cancel, a task that does not end within the runaway grace is recorded anyway and left to run out.
/// </summary>
internal sealed class TaskExecutor(
    KallableCatalogSource catalogs,
    IServiceProvider services,
    TaskLogCapture capture,
    RunawayTasks runaways,
    CarrotOptions options,
    Serilog.ILogger logger,
    TimeProvider clock)
{
    public async Task<ExecutionResult> ExecuteAsync(ClaimedTask claim, TaskSignals signals)
    {
        var buffer = new TaskLogBuffer(clock, TaskLogLimits.From(options));
        var stopwatch = Stopwatch.StartNew();

        // Held until the task's code returns (for a runaway, longer than this call): a reload meanwhile leaves
        // the task on the code it started with, and that code is unloaded only after it.
        var catalog = catalogs.Acquire();
        var started = false;
        try
        {
            KallableTarget target;
            BoundCall call;
            TaskDefaults defaults;
            TimeSpan? timeout;
            try
            {
                // The daemon checks again what the CLI checked: the row may have been written by anyone.
                target = catalog.Catalog.Resolve(claim.Kallable);
                call = ArgumentBinder.Bind(target, claim.Args, claim.Kwargs);
                defaults = TaskDefaults.For(call.Method);
                timeout = TimeoutFor(claim, defaults);
            }
            catch (Exception e)
            {
                // Whatever went wrong, the claimed task must end with an outcome, or it would hold its slot forever.
                var message = e is CarrotInputException or CarrotConfigurationException ? e.Message : $"{e.GetType().Name}: {e.Message}";
                buffer.Add(TaskLogLevel.Error, message);
                return new ExecutionResult(AttemptEnd.Invalid(message), buffer.Snapshot(), stopwatch.Elapsed);
            }

            started = true;
            var end = await RunAsync(claim, signals, target, call, timeout, buffer, catalog);
            return new ExecutionResult(end is null ? null : end with { KallableRetries = defaults.MaxRetries }, buffer.Snapshot(), stopwatch.Elapsed);
        }
        finally
        {
            if (!started)
            {
                catalog.Dispose();
            }
        }
    }

    /// <summary>
    /// The task's own timeout, else its kallable's, else the configuration's. Longer than a .NET timer holds is refused
    /// at enqueue and when settings are read; a row written by anyone else that asks for it is an invalid task.
    /// </summary>
    private TimeSpan? TimeoutFor(ClaimedTask claim, TaskDefaults defaults)
    {
        var timeout = claim.Timeout ?? defaults.Timeout ?? (options.DefaultTimeoutSeconds > 0 ? TimeSpan.FromSeconds(options.DefaultTimeoutSeconds) : null);
        if (timeout is { } limit && !DurationLimits.IsValidTimeout(limit))
        {
            throw new CarrotInputException($"The task's timeout ({limit.TotalSeconds:0.###} s) is out of range: use more than 0 and at most {DurationLimits.MaxTimeoutText}, or none.");
        }

        return timeout;
    }

    /// <summary>Runs the bound call; null when the daemon's shutdown interrupted it. Owns <paramref name="catalog"/> from here on.</summary>
    private async Task<AttemptEnd?> RunAsync(ClaimedTask claim, TaskSignals signals, KallableTarget target, BoundCall call, TimeSpan? timeout, TaskLogBuffer buffer, CatalogLease catalog)
    {
        using var timedOut = timeout is { } limit ? new CancellationTokenSource(limit, clock) : new CancellationTokenSource();
        using var token = CancellationTokenSource.CreateLinkedTokenSource(timedOut.Token, signals.CancelRequested, signals.Shutdown);

        // Its own flow, so the task's log capture (an AsyncLocal) never leaks into the consumer loop.
        var run = Task.Run(() => InvokeAsync(claim, target, call, buffer, token.Token), CancellationToken.None);
        _ = run.ContinueWith(_ => catalog.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        using var giveUp = new CancellationTokenSource();
        var grace = TimeSpan.FromSeconds(options.RunawayGraceSeconds);
        using var onTimeout = timedOut.Token.Register(() => giveUp.CancelAfter(grace));
        using var onCancel = signals.CancelRequested.Register(() => giveUp.CancelAfter(grace));
        Exception? error;
        string? json;
        try
        {
            (json, error) = await run.WaitAsync(giveUp.Token);
        }
        catch (OperationCanceledException) when (giveUp.IsCancellationRequested)
        {
            runaways.Add(claim, run, clock);
            var cancelled = signals.CancelRequested.IsCancellationRequested;
            var why = cancelled ? "was cancelled" : $"timed out after {Seconds(timeout)}";
            var message = $"The task {why} and ignored its cancellation token for {Seconds(grace)} more; Carrot stopped waiting and freed its slot, but its code may still be running inside carrotd {claim.LeaseOwner} (see 'carrot status'). Make it observe its CancellationToken.";
            buffer.Add(TaskLogLevel.Error, message);
            logger.Error("Task {TaskId} {Kallable} is a runaway: it {Why} and ignored its cancellation token", claim.Id, claim.Kallable, why);
            return new AttemptEnd(cancelled ? AttemptEndKind.RunawayAfterCancel : AttemptEndKind.RunawayAfterTimeout, ErrorMessage: message);
        }

        if (error is null)
        {
            return AttemptEnd.Succeeded(json);
        }

        if (signals.CancelRequested.IsCancellationRequested)
        {
            return new AttemptEnd(AttemptEndKind.Cancelled, ErrorType: AttemptOutcomes.CancelledType,
                ErrorMessage: $"Cancelled while running; the task stopped with {error.GetType().Name}: {error.Message}", StackTrace: error.ToString());
        }

        if (timedOut.IsCancellationRequested)
        {
            return new AttemptEnd(AttemptEndKind.TimedOut, ErrorType: AttemptOutcomes.TimeoutType,
                ErrorMessage: $"The task timed out after {Seconds(timeout)} (it stopped with {error.GetType().Name}: {error.Message}).", StackTrace: error.ToString());
        }

        return error is OperationCanceledException && signals.Shutdown.IsCancellationRequested ? null : AttemptEnd.Threw(error);
    }

    private async Task<(string? Json, Exception? Error)> InvokeAsync(ClaimedTask claim, KallableTarget target, BoundCall call, TaskLogBuffer buffer, CancellationToken cancellationToken)
    {
        capture.Enter(buffer);
        using var taskScope = LogContext.PushProperty("TaskId", claim.Id);
        using var attemptScope = LogContext.PushProperty("Attempt", claim.Attempt);

        var context = new TaskContext(claim.Id, claim.Attempt, claim.Worker, claim.Kallable,
            new TaskLog(logger.ForContext("SourceContext", claim.Kallable)), cancellationToken);
        var arguments = (object?[])call.Arguments.Clone();
        foreach (var slot in call.CancellationTokenSlots)
        {
            arguments[slot] = cancellationToken;
        }

        foreach (var slot in call.TaskContextSlots)
        {
            arguments[slot] = context;
        }

        await using var scope = services.CreateAsyncScope();
        object? instance = null;
        try
        {
            instance = call.Method.IsStatic ? null : ActivatorUtilities.CreateInstance(scope.ServiceProvider, target.Type);
            var returned = call.Method.Invoke(instance, arguments);
            var value = await ReturnValues.AwaitAsync(call.Method.ReturnType, returned);
            var (json, problem) = ReturnValues.Serialize(value, options.MaxResultChars);
            if (problem is not null)
            {
                buffer.Add(TaskLogLevel.Warning, problem);
            }

            return (json, null);
        }
        catch (Exception e)
        {
            return (null, e is TargetInvocationException { InnerException: { } inner } ? inner : e);
        }
        finally
        {
            await DisposeAsync(instance);
        }
    }

    private static string Seconds(TimeSpan? span) => span is { } s ? $"{s.TotalSeconds:0.###} s" : "its time limit";

    private static async ValueTask DisposeAsync(object? instance)
    {
        if (instance is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }
        else if (instance is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }
}

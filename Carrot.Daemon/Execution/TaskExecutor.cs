using System.Diagnostics;
using System.Reflection;
using Carrot.Daemon.Logging;
using Carrot.Daemon.Reloading;
using Carrot.Errors;
using Carrot.Kallables;
using Carrot.Logging;
using Carrot.Storage;
using Carrot.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Context;

namespace Carrot.Daemon.Execution;

/// <summary>
/// Runs one attempt: resolve → bind → create (for instance methods, through DI) → invoke → await → map the
/// outcome. Every exception ends here as an outcome; nothing the task does can break the consumer loop.
/// </summary>
internal sealed class TaskExecutor(KallableCatalogSource catalogs, IServiceProvider services, TaskLogCapture capture, Serilog.ILogger logger, TimeProvider clock)
{
    public async Task<ExecutionResult> ExecuteAsync(ClaimedTask claim, CancellationToken cancellationToken)
    {
        var buffer = new TaskLogBuffer(clock);
        var stopwatch = Stopwatch.StartNew();

        // Its own flow, so the task's log capture (an AsyncLocal) never leaks into the consumer loop.
        var outcome = await Task.Run(() => RunAsync(claim, buffer, cancellationToken), CancellationToken.None);
        return new ExecutionResult(outcome, buffer.Snapshot(), stopwatch.Elapsed);
    }

    private async Task<TaskOutcome?> RunAsync(ClaimedTask claim, TaskLogBuffer buffer, CancellationToken cancellationToken)
    {
        capture.Enter(buffer);
        using var taskScope = LogContext.PushProperty("TaskId", claim.Id);
        using var attemptScope = LogContext.PushProperty("Attempt", claim.Attempt);

        // Held until the task ends: a reload meanwhile leaves this task on the code it started with.
        using var catalog = catalogs.Acquire();

        BoundCall call;
        KallableTarget target;
        try
        {
            // The daemon checks again what the CLI checked: the row may have been written by anyone.
            target = catalog.Catalog.Resolve(claim.Kallable);
            call = ArgumentBinder.Bind(target, claim.Args, claim.Kwargs);
        }
        catch (Exception e)
        {
            // Whatever went wrong, the claimed task must end with an outcome, or it would hold its slot forever.
            var message = e is CarrotInputException or CarrotConfigurationException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            buffer.Add(TaskLogLevel.Error, message);
            return TaskOutcome.Failed("Carrot.InvalidTask", message);
        }

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
            var (json, problem) = ReturnValues.Serialize(value);
            if (problem is not null)
            {
                buffer.Add(TaskLogLevel.Warning, problem);
            }

            return TaskOutcome.Succeeded(json);
        }
        catch (Exception e)
        {
            var error = e is TargetInvocationException { InnerException: { } inner } ? inner : e;
            if (error is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                return null;
            }

            return TaskOutcome.Failed(error.GetType().FullName ?? error.GetType().Name, error.Message, error.ToString());
        }
        finally
        {
            await DisposeAsync(instance);
        }
    }

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

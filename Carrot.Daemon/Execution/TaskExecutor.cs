using System.Diagnostics;
using Carrot.Configuration;
using Carrot.Daemon.Isolation;
using Carrot.Daemon.Logging;
using Carrot.Daemon.Reloading;
using Carrot.Errors;
using Carrot.Kallables;
using Carrot.Lifecycle;
using Carrot.Logging;
using Carrot.Records;
using Carrot.Storage;

namespace Carrot.Daemon.Execution;

/// <summary>
/// Runs one attempt: resolve → bind → run the code where its worker's isolation says (<see cref="ITaskCodeHost"/>:
/// inside carrotd, or in a runner process) → map the outcome. Every exception ends here as an outcome; nothing the
/// task does can break the consumer loop. The task's token fires on its timeout, on a cancel request, or when the
/// daemon's shutdown grace ends; what happens to a task that ignores it is the host's to say.
/// </summary>
internal sealed class TaskExecutor(
    KallableCatalogSource catalogs,
    WorkerIsolations isolations,
    InProcessCodeHost inProcess,
    RunnerCodeHost runners,
    CarrotOptions options,
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
                buffer.Add(TaskLogLevel.Error, message, TaskLogTrace.Of(Activity.Current));
                return new ExecutionResult(AttemptEnd.Invalid(message), buffer.Snapshot(), stopwatch.Elapsed);
            }

            started = true;
            ITaskCodeHost host = isolations.For(claim.Worker) == WorkerIsolation.Process ? runners : inProcess;
            var end = await host.RunAsync(new AttemptRun(claim, signals, target, call, timeout, buffer, catalog));
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
}

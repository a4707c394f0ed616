using Carrot.Kallables;
using Carrot.Kallables.RunnerProtocol;
using Carrot.Logging;
using Carrot.Tasks;

namespace Carrot.Runner;

/// <summary>
/// Reads carrotd's frames and runs one task at a time: a <c>run</c> starts it, a <c>cancel</c> fires its token, the end
/// of the input (carrotd closed it, or died) ends the runner. The daemon already checked that the kallable resolves and
/// the arguments bind; the runner checks again against its own load of the assemblies and answers a failure as a throw.
/// </summary>
internal sealed class RunnerLoop(KallableCatalog catalog, IServiceProvider services, FrameChannel channel, int maxResultChars) : IDisposable
{
    private CancellationTokenSource? _running;

    public async Task RunAsync(Stream input)
    {
        Task? current = null;
        while (await RunnerFrames.ReadAsync(input, CancellationToken.None) is { } frame)
        {
            switch (frame.Kind)
            {
                case RunnerFrame.RunKind when current is null || current.IsCompleted:
                    _running?.Dispose();
                    _running = new CancellationTokenSource();
                    var token = _running.Token;
                    current = Task.Run(() => ExecuteAsync(frame, token), CancellationToken.None);
                    break;
                case RunnerFrame.RunKind:
                    channel.Send(new RunnerFrame(RunnerFrame.BrokenKind) { Text = "A task was sent while another was running; a runner runs one task at a time." });
                    break;
                case RunnerFrame.CancelKind:
                    await (_running?.CancelAsync() ?? Task.CompletedTask);
                    break;
            }
        }

        // carrotd is gone or done with this runner: stop what runs (it has no one to report to).
        await (_running?.CancelAsync() ?? Task.CompletedTask);
    }

    public void Dispose() => _running?.Dispose();

    private async Task ExecuteAsync(RunnerFrame run, CancellationToken cancellationToken)
    {
        RunnerFrame reply;
        // The attempt's trace is current in the task's flow from here on; ended before the reply, as the task is done.
        using (RunnerTracing.BeginTask(run.TraceParent))
        {
            reply = await InvokeAsync(run, cancellationToken);
        }

        await Console.Out.FlushAsync(CancellationToken.None);
        channel.Send(reply);
    }

    private async Task<RunnerFrame> InvokeAsync(RunnerFrame run, CancellationToken cancellationToken)
    {
        try
        {
            var target = catalog.Resolve(run.Kallable ?? "");
            var call = ArgumentBinder.Bind(target, run.Args ?? "[]", run.Kwargs ?? "{}");
            var context = new TaskContext(run.TaskId, run.Attempt, run.Worker ?? "", run.Kallable ?? "", new FrameTaskLog(channel), cancellationToken);
            var outcome = await KallableInvoker.InvokeAsync(target, call, context, services, maxResultChars);
            return outcome.Error is { } error
                ? Threw(error)
                : new RunnerFrame(RunnerFrame.SucceededKind) { Result = outcome.Json, Problem = outcome.Problem };
        }
        catch (Exception e)
        {
            // Resolve or bind refused the task (or Carrot's own code failed): carrotd still gets an answer, never silence.
            return Threw(e);
        }
    }

    private static RunnerFrame Threw(Exception error) => new(RunnerFrame.ThrewKind)
    {
        ErrorType = error.GetType().FullName ?? error.GetType().Name,
        ErrorMessage = error.Message,
        StackTrace = error.ToString(),
        DoNotRetry = error is DoNotRetryException,
        Cancellation = error is OperationCanceledException,
    };
}

using Carrot.Kallables.RunnerProtocol;

namespace Carrot.Daemon.Isolation;

/// <summary>How a task sent to a runner ended: the runner's answer frame, or the runner's death (its exit code and last stderr lines).</summary>
internal sealed record RunnerReply(RunnerFrame? Frame, int? ExitCode = null, string? StandardError = null)
{
    /// <summary>Spans of the task's code past <see cref="RunnerSpanEmitter.MaxSpansPerAttempt"/>, not re-emitted.</summary>
    public int SpansDropped { get; init; }
}

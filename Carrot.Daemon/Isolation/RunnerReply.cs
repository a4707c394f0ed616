using Carrot.Kallables.RunnerProtocol;

namespace Carrot.Daemon.Isolation;

/// <summary>How a task sent to a runner ended: the runner's answer frame, or the runner's death (its exit code and last stderr lines).</summary>
internal sealed record RunnerReply(RunnerFrame? Frame, int? ExitCode = null, string? StandardError = null)
{
    /// <summary>The spans the task's code finished, as the runner sent them (at most <see cref="RunnerSpanEmitter.MaxSpansPerAttempt"/>).</summary>
    public IReadOnlyList<RunnerSpan> Spans { get; init; } = [];

    /// <summary>Spans past that bound, not kept.</summary>
    public int SpansDropped { get; init; }
}

using Carrot.Kallables;
using Carrot.Storage;

namespace Carrot.Daemon.Execution;

/// <summary>
/// What running one attempt produced. <see cref="Outcome"/> is null when the attempt was interrupted by the
/// daemon's shutdown: it did not end on its own, so it is handed back rather than recorded.
/// <see cref="Retryable"/> says whether a failure may be retried (not for a runaway, an invalid task, or a
/// <c>DoNotRetryException</c>); <see cref="Defaults"/> are the kallable's own retry and timeout settings.
/// </summary>
internal sealed record ExecutionResult(TaskOutcome? Outcome, IReadOnlyList<TaskLogEntry> Logs, TimeSpan Elapsed)
{
    public bool Retryable { get; init; }

    public TaskDefaults Defaults { get; init; } = TaskDefaults.None;
}

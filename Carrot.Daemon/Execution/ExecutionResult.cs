using Carrot.Storage;

namespace Carrot.Daemon.Execution;

/// <summary>
/// What running one attempt produced. <see cref="Outcome"/> is null when the attempt was interrupted by the
/// daemon's shutdown: it did not end on its own, so it is handed back rather than recorded.
/// </summary>
internal sealed record ExecutionResult(TaskOutcome? Outcome, IReadOnlyList<TaskLogEntry> Logs, TimeSpan Elapsed);

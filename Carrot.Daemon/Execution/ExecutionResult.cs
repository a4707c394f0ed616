using Carrot.Lifecycle;
using Carrot.Storage;

namespace Carrot.Daemon.Execution;

/// <summary>
/// What running one attempt produced. <see cref="End"/> is null when the attempt was interrupted by the daemon's
/// shutdown: it did not end on its own, so it is handed back rather than recorded. What the end means for the task
/// (retry, cancel, fail) is decided by <see cref="AttemptOutcomes"/>, not here.
/// </summary>
internal sealed record ExecutionResult(AttemptEnd? End, IReadOnlyList<TaskLogEntry> Logs, TimeSpan Elapsed);

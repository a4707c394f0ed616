namespace Carrot.Daemon.Execution;

/// <summary>
/// Why a running task may be told to stop, kept apart so the outcome can say which: someone cancelled it
/// (<c>carrot tasks cancel</c>), or the daemon is shutting down (the task is handed back, not failed).
/// Its timeout is the executor's own.
/// </summary>
internal sealed record TaskSignals(CancellationToken CancelRequested, CancellationToken Shutdown);

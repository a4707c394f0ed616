namespace Carrot.Tasks;

/// <summary>Where a task is in its life. States only move forward, except a rescued task, which goes back to <see cref="Queued"/>.</summary>
public enum TaskState
{
    /// <summary>Due later; moved to <see cref="Queued"/> by a daemon when due.</summary>
    Scheduled,
    /// <summary>Recorded and (once published) waiting in its worker's queue.</summary>
    Queued,
    /// <summary>Claimed by one daemon, which holds a lease on it.</summary>
    Running,
    /// <summary>Finished: the method returned; its result is stored.</summary>
    Succeeded,
    /// <summary>Finished: the last attempt threw, timed out, or no attempt was left.</summary>
    Failed,
    /// <summary>Finished: cancelled before it started, or its code stopped when its token fired.</summary>
    Cancelled,
}

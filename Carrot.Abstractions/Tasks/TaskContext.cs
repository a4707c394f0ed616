using Carrot.Logging;

namespace Carrot.Tasks;

/// <summary>
/// What a running task may know about itself. Declare a parameter of this type (or of
/// <see cref="System.Threading.CancellationToken"/>) and the daemon injects it; it is never taken from args.
/// </summary>
public sealed class TaskContext
{
    /// <summary>Made by the daemon for each attempt; tests of task code can make their own.</summary>
    public TaskContext(long taskId, int attempt, string worker, string kallable, ITaskLog log, CancellationToken cancellationToken)
    {
        TaskId = taskId;
        Attempt = attempt;
        Worker = worker;
        Kallable = kallable;
        Log = log;
        CancellationToken = cancellationToken;
    }

    /// <summary>The task's id, as enqueue returned it.</summary>
    public long TaskId { get; }

    /// <summary>1 on the first run; higher when the task is run again (after a crash or a retry). Useful for idempotency keys.</summary>
    public int Attempt { get; }

    /// <summary>The worker whose queue the task came from.</summary>
    public string Worker { get; }

    /// <summary>The kallable being run, e.g. <c>MyLib.Jobs.Bark</c>.</summary>
    public string Kallable { get; }

    /// <summary>Lines written here are stored with the task (<c>carrot tasks show ID --logs</c>) and go to the daemon's log.</summary>
    public ITaskLog Log { get; }

    /// <summary>Fires when the daemon shuts down past its grace period, or the task is cancelled.</summary>
    public CancellationToken CancellationToken { get; }
}

namespace Carrot.Daemon.Isolation;

/// <summary>
/// A process worker's own recycle limits as last read from the workers table; null is the daemon-wide default
/// (<c>runnerMaxTasks</c>, <c>runnerMaxMemoryMiB</c>). Read when a runner comes back from a task, so a change applies
/// from the next poll on, to runners already running too.
/// </summary>
internal sealed record RunnerLimitsOf(int? MaxTasks, int? MaxMemoryMiB)
{
    public static readonly RunnerLimitsOf DaemonDefaults = new(null, null);
}

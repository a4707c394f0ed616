namespace Carrot.Records;

/// <summary>A <c>carrotd</c> process that registered itself. Alive while its heartbeat is recent.</summary>
public sealed record DaemonRecord(
    string Id,
    string Host,
    int Pid,
    string Version,
    DateTimeOffset StartedAt,
    DateTimeOffset HeartbeatAt,
    DateTimeOffset? StoppedAt,
    int RunningTasks,
    IReadOnlyList<long>? Runaways = null)
{
    /// <summary>Tasks this daemon stopped waiting for: they ignored their cancellation token after a timeout or a cancel, and may still be running in it.</summary>
    public IReadOnlyList<long> Runaways { get; init; } = Runaways ?? [];
}

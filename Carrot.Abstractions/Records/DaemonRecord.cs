namespace Carrot.Records;

/// <summary>A <c>carrotd</c> process that registered itself. Alive while its heartbeat is recent.</summary>
/// <param name="Id">The daemon's own id, new at each start.</param>
/// <param name="Host">The machine it runs on.</param>
/// <param name="Pid">Its process id.</param>
/// <param name="Version">Its Carrot version.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="HeartbeatAt">When it last said it is alive.</param>
/// <param name="StoppedAt">When it stopped; null while it runs.</param>
/// <param name="RunningTasks">How many tasks it runs now.</param>
/// <param name="Runaways">Tasks it stopped waiting for (see <see cref="Runaways"/>).</param>
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

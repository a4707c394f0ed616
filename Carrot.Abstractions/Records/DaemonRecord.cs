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
    int RunningTasks);

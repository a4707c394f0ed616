using Carrot.Records;

namespace Carrot.Storage.Rows;

internal sealed class DaemonRow
{
    public string Id { get; set; } = "";
    public string Host { get; set; } = "";
    public long Pid { get; set; }
    public string Version { get; set; } = "";
    public long StartedAt { get; set; }
    public long HeartbeatAt { get; set; }
    public long? StoppedAt { get; set; }
    public long RunningTasks { get; set; }
    public string Runaways { get; set; } = "";

    public DaemonRecord ToRecord() => new(Id, Host, (int)Pid, Version, UnixTime.FromMs(StartedAt), UnixTime.FromMs(HeartbeatAt), UnixTime.FromMs(StoppedAt), (int)RunningTasks,
        Runaways.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToList());
}

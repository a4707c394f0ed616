using Carrot.Records;

namespace Carrot.Cli.Output.Views;

/// <summary>A live carrotd in <c>status --json</c>.</summary>
internal sealed record DaemonView(string Id, string Host, int Pid, string Version, DateTimeOffset StartedAt, DateTimeOffset HeartbeatAt, int RunningTasks, IReadOnlyList<long> RunawayTasks)
{
    public static DaemonView From(DaemonRecord daemon) =>
        new(daemon.Id, daemon.Host, daemon.Pid, daemon.Version, daemon.StartedAt, daemon.HeartbeatAt, daemon.RunningTasks, daemon.Runaways);
}

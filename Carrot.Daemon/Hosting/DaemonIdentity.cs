using System.Reflection;

namespace Carrot.Daemon.Hosting;

/// <summary>Who this daemon is, in the daemons table and on every claim it makes.</summary>
internal sealed class DaemonIdentity
{
    public DaemonIdentity()
    {
        Id = Guid.CreateVersion7().ToString("N");
        Host = Environment.MachineName;
        HostKey = Hosting.HostKey.Read();
        Pid = Environment.ProcessId;
        Version = typeof(DaemonIdentity).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
    }

    public string Id { get; }

    public string Host { get; }

    /// <summary>Kernel and PID namespace (<see cref="Hosting.HostKey"/>): who counts as "this host" for the rescue at start.</summary>
    public string HostKey { get; }

    public int Pid { get; }

    public string Version { get; }

    /// <summary>Recorded on each task it runs, as <c>host:pid</c>.</summary>
    public string Node => $"{Host}:{Pid}";
}

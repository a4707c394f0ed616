namespace Carrot.Daemon.Hosting;

/// <summary>
/// What tells this daemon's "host" apart for the same-host rescue: the kernel's boot id (a new random one per boot,
/// so two machines never share it) and the PID namespace (hosts that share a kernel — containers, namespaces — share
/// the boot id but not the namespace). Two daemons with the same key can see each other's PIDs, so kill(pid, 0) says
/// whether the other is alive; for any other daemon only its lease can tell.
/// </summary>
internal static class HostKey
{
    /// <summary>The key, or a random one when /proc cannot tell (then no other daemon is ever taken for this host's).</summary>
    public static string Read()
    {
        try
        {
            var boot = File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
            var pidNamespace = new FileInfo("/proc/self/ns/pid").LinkTarget;
            if (boot.Length > 0 && !string.IsNullOrEmpty(pidNamespace))
            {
                return $"{boot}/{pidNamespace}";
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not Linux, or /proc hidden: fall through.
        }

        return "unknown/" + Guid.NewGuid().ToString("N");
    }
}

namespace Carrot.Tests.Isolation;

/// <summary>
/// A memory cgroup the test makes for itself, under the test process's own (never the machine's root limits), with a
/// small limit and no swap, so the kernel's out-of-memory killer acts on whatever the test moves into it. cgroup v2
/// (<c>memory.max</c>) where the memory controller is there, else v1 (<c>memory.limit_in_bytes</c>, as on hybrid hosts).
/// </summary>
internal sealed class MemoryCgroup : IDisposable
{
    private MemoryCgroup(string path) => Path = path;

    public string Path { get; }

    /// <summary>The cgroup, or null with the reason when this machine does not let the test make one.</summary>
    public static (MemoryCgroup? Cgroup, string Reason) TryCreate(long limitBytes)
    {
        var lines = File.ReadAllLines("/proc/self/cgroup");
        var name = "carrot-oom-" + Guid.NewGuid().ToString("N")[..8];
        var limit = limitBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            var unified = lines.FirstOrDefault(l => l.StartsWith("0::", StringComparison.Ordinal));
            var v2Root = File.Exists("/sys/fs/cgroup/cgroup.controllers") ? "/sys/fs/cgroup" : "/sys/fs/cgroup/unified";
            if (unified is not null && File.Exists(System.IO.Path.Combine(v2Root, "cgroup.controllers"))
                && File.ReadAllText(System.IO.Path.Combine(v2Root, "cgroup.controllers")).Split(' ', StringSplitOptions.TrimEntries).Contains("memory"))
            {
                var path = System.IO.Path.Combine(v2Root + unified[3..], name);
                Directory.CreateDirectory(path);
                File.WriteAllText(System.IO.Path.Combine(path, "memory.max"), limit);
                TryWrite(System.IO.Path.Combine(path, "memory.swap.max"), "0");
                return (new MemoryCgroup(path), "");
            }

            var v1 = lines.Select(l => l.Split(':', 3)).FirstOrDefault(p => p.Length == 3 && p[1].Split(',').Contains("memory"));
            if (v1 is null || !Directory.Exists("/sys/fs/cgroup/memory"))
            {
                return (null, "no memory cgroup controller on this machine");
            }

            var v1Path = System.IO.Path.Combine("/sys/fs/cgroup/memory" + v1[2], name);
            Directory.CreateDirectory(v1Path);
            File.WriteAllText(System.IO.Path.Combine(v1Path, "memory.limit_in_bytes"), limit);
            TryWrite(System.IO.Path.Combine(v1Path, "memory.memsw.limit_in_bytes"), limit);
            return (new MemoryCgroup(v1Path), "");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"cannot make a memory cgroup here: {e.Message}");
        }
    }

    public void Add(int pid) => File.WriteAllText(System.IO.Path.Combine(Path, "cgroup.procs"), pid.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path);
        }
        catch (IOException)
        {
            // Still holds a process: it goes when that process ends (the runner is killed by then).
        }
    }

    private static void TryWrite(string file, string value)
    {
        if (File.Exists(file))
        {
            File.WriteAllText(file, value);
        }
    }
}

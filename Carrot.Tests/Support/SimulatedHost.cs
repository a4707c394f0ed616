using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Carrot.Tests.Support;

/// <summary>
/// A "host" on this machine for the multi-host tests: one carrotd in PID, UTS and mount namespaces of its own
/// (<c>Support/simulated-host.sh</c>), so it has its own hostname and sees only its own processes (it is PID 2
/// there), while it shares the network (the broker on loopback) and the files (the database, the execution log).
/// It can be killed whole (SIGKILL to every process in it), frozen (SIGSTOP to every one) and thawed. Nothing
/// outlives it: the namespace dies with its launcher, and the launcher with the test process.
/// Needs root (namespaces); the tests are ignored where the machine cannot host them.
/// </summary>
internal sealed partial class SimulatedHost : IAsyncDisposable
{
    private const int SigKill = 9;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly DaemonProcess _launcher;
    private readonly string _namespace;

    private SimulatedHost(string name, DaemonProcess launcher, int initPid, string pidNamespace)
    {
        Name = name;
        _launcher = launcher;
        InitPid = initPid;
        _namespace = pidNamespace;
    }

    /// <summary>Its hostname, which carrotd inside reports as its host.</summary>
    public string Name { get; }

    /// <summary>PID 1 of its namespace, as this machine numbers it.</summary>
    public int InitPid { get; }

    /// <summary>What the launcher and carrotd printed.</summary>
    public string Output => _launcher.Output;

    /// <summary>Whether anything still runs in it.</summary>
    public bool IsAlive => Processes().Count > 0;

    /// <summary>
    /// Starts a host named <paramref name="name"/> running the published carrotd with <paramref name="environment"/>
    /// (e.g. a sandbox's), and waits until carrotd consumes <paramref name="waitForQueue"/>. carrotd is PID
    /// <paramref name="daemonPid"/> there (2 unless told). The host dies with <paramref name="ownerPid"/>, this test
    /// process unless told.
    /// </summary>
    public static async Task<SimulatedHost> StartAsync(
        string name, IDictionary<string, string?> environment, string waitForQueue = "carrot.default", int daemonPid = 2, int? ownerPid = null)
    {
        RequireNamespaces();
        var script = Path.Combine(RepositoryPaths.Root, "Carrot.Tests", "Support", "simulated-host.sh");
        var hostEnvironment = new Dictionary<string, string?>(environment) { ["SIMULATED_HOST_PID"] = daemonPid.ToString(CultureInfo.InvariantCulture) };
        var owner = (ownerPid ?? Environment.ProcessId).ToString(CultureInfo.InvariantCulture);
        var launcher = DaemonProcess.Start("bash", hostEnvironment, script, "run", owner, name, RepositoryPaths.Carrotd);
        try
        {
            await launcher.WaitForLogAsync("namespace init is pid", StartTimeout);
            var initPid = int.Parse(InitLine().Match(launcher.Output).Groups[1].Value, CultureInfo.InvariantCulture);
            var pidNamespace = NamespaceOf(initPid) ?? throw new InvalidOperationException($"Host {name}: its init (pid {initPid}) is already gone. Output:\n{launcher.Output}");
            var host = new SimulatedHost(name, launcher, initPid, pidNamespace);
            await launcher.WaitForLogAsync($"Consuming {waitForQueue}", StartTimeout);
            return host;
        }
        catch
        {
            await launcher.KillAsync();
            await launcher.DisposeAsync();
            throw;
        }
    }

    /// <summary>The node carrotd records on the tasks it runs (<c>host:pid</c>, from its own start line).</summary>
    public string Node => StartLine().Match(Output) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException($"Host {Name}: carrotd has not said who it is. Output:\n{Output}");

    /// <summary>Waits until a line containing <paramref name="text"/> was printed.</summary>
    public Task WaitForLogAsync(string text, TimeSpan timeout, int times = 1) => _launcher.WaitForLogAsync(text, timeout, times);

    /// <summary>The processes in its PID namespace (this machine's PIDs): init, carrotd, anything they started.</summary>
    public IReadOnlyList<int> Processes()
    {
        var members = new List<int>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && NamespaceOf(pid) == _namespace)
            {
                members.Add(pid);
            }
        }

        return members;
    }

    /// <summary>A power cut: SIGKILL to every process of the host at once; returns when none is left.</summary>
    public async Task KillAsync()
    {
        // Stopped first, so none of them sees another die and reacts before its own SIGKILL.
        SignalAll(DaemonProcess.SigStop);
        SignalAll(SigKill);
        await WaitUntilGoneAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>SIGSTOP to every process of the host (a wedged machine, a VM paused); returns once all are stopped.</summary>
    public async Task FreezeAsync()
    {
        SignalAll(DaemonProcess.SigStop);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (Processes().Any(pid => State(pid) is not ('T' or 't' or 'X' or 'Z' or null)))
        {
            await Task.Delay(20, limit.Token);
        }
    }

    /// <summary>SIGCONT to every process of the host.</summary>
    public void Thaw() => SignalAll(DaemonProcess.SigCont);

    public async ValueTask DisposeAsync()
    {
        if (IsAlive)
        {
            Thaw();
            try
            {
                // SIGTERM through the launcher: carrotd stops as under systemd, the namespace ends with it.
                await _launcher.StopAsync(TimeSpan.FromSeconds(20));
            }
            catch (OperationCanceledException)
            {
                await KillAsync();
            }
        }

        await WaitUntilGoneAsync(TimeSpan.FromSeconds(30));
        await _launcher.DisposeAsync();
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
        {
            await TestContext.Out.WriteLineAsync($"--- host {Name} ---{Environment.NewLine}{Output}");
        }
    }

    private void SignalAll(int signal)
    {
        foreach (var pid in Processes())
        {
            _ = Kill(pid, signal);
        }
    }

    private async Task WaitUntilGoneAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        while (IsAlive)
        {
            try
            {
                await Task.Delay(20, limit.Token);
            }
            catch (OperationCanceledException)
            {
                SignalAll(SigKill);
                throw new InvalidOperationException($"Host {Name}: processes {string.Join(", ", Processes())} still run {timeout.TotalSeconds} s after it was ended.");
            }
        }
    }

    private static string? NamespaceOf(int pid)
    {
        try
        {
            return new FileInfo($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/ns/pid").LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone meanwhile, or not ours to look at.
            return null;
        }
    }

    /// <summary>The state letter of /proc/PID/stat (R, S, T, …), null when the process is gone.</summary>
    public static char? State(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void RequireNamespaces()
    {
        if (!OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess || !File.Exists("/usr/bin/unshare") || !File.Exists("/usr/bin/setpriv"))
        {
            Assert.Ignore("Simulated hosts need Linux, root, unshare and setpriv (PID and UTS namespaces).");
        }
    }

    [GeneratedRegex(@"namespace init is pid (\d+)")]
    private static partial Regex InitLine();

    [GeneratedRegex(@"starting as (\S+?);")]
    private static partial Regex StartLine();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}

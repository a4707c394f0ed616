using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Carrot.Tests.Support;

/// <summary>
/// A private RabbitMQ node for tests: its own data folder and free ports on 127.0.0.1 (AMQP, Erlang distribution
/// and its own epmd), started and stopped with <c>scripts/rabbitmq-node.sh</c>. The node also stops by itself
/// when this test process dies (the script's watchdog), so a crashed run leaves no broker behind.
/// </summary>
internal sealed class RabbitMqNode : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan CtlTimeout = TimeSpan.FromSeconds(90);
    private const int StartAttempts = 3;

    private static readonly Lazy<string> Script = new(FindScript);

    private int _disposed;

    private RabbitMqNode(string dataDirectory, int amqpPort, int distributionPort, int epmdPort)
    {
        DataDirectory = dataDirectory;
        AmqpPort = amqpPort;
        DistributionPort = distributionPort;
        EpmdPort = epmdPort;
    }

    public int AmqpPort { get; }

    /// <summary>The node-wide settings it was started with, kept for a restart.</summary>
    private string? ExtraConfig { get; init; }

    public int DistributionPort { get; }

    public int EpmdPort { get; }

    /// <summary>The default virtual host as guest (guest may log in over loopback only, which is all we use).</summary>
    public string Uri => $"amqp://guest:guest@127.0.0.1:{AmqpPort.ToString(CultureInfo.InvariantCulture)}/";

    public string DataDirectory { get; }

    public string NodeName => $"carrot-{AmqpPort.ToString(CultureInfo.InvariantCulture)}@localhost";

    /// <summary>The broker's own log, worth printing when a test fails.</summary>
    public string LogFile => Path.Combine(DataDirectory, "log", NodeName + ".log");

    /// <summary>Starts a fresh node on free ports; retries with other ports if one was taken in the meantime.</summary>
    public static Task<RabbitMqNode> StartAsync(CancellationToken ct) => StartAsync(extraConfig: null, ct);

    /// <summary>As above, with node-wide settings appended to its rabbitmq.conf (e.g. <c>consumer_timeout = 5000</c>).</summary>
    public static async Task<RabbitMqNode> StartAsync(string? extraConfig, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            var ports = LoopbackPorts.Free(3);
            var directory = Path.Combine(Path.GetTempPath(), "carrot-tests", "rmq-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(directory);

            ProcessResult result;
            try
            {
                result = await RunScriptAsync(
                    ["start", directory, .. ports.Select(p => p.ToString(CultureInfo.InvariantCulture))],
                    StartTimeout,
                    ct,
                    new Dictionary<string, string?>
                    {
                        ["RABBITMQ_NODE_OWNER_PID"] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
                        ["RABBITMQ_NODE_EXTRA_CONF"] = extraConfig,
                    });
            }
            catch
            {
                await CleanUpAsync(directory);
                throw;
            }

            if (result.ExitCode == 0)
            {
                return new RabbitMqNode(directory, ports[0], ports[1], ports[2]) { ExtraConfig = extraConfig };
            }

            await CleanUpAsync(directory);
            if (attempt < StartAttempts && result.Output.Contains("already in use", StringComparison.Ordinal))
            {
                continue;
            }

            throw new InvalidOperationException(
                $"Could not start a RabbitMQ node (exit code {result.ExitCode}, ports {string.Join('/', ports)}):{Environment.NewLine}{result.Output}");
        }
    }

    /// <summary>Runs <c>rabbitmqctl -n NODE args...</c> against this node and returns its standard output.</summary>
    public Task<string> CtlAsync(params string[] args) => CtlAsync(args, CancellationToken.None);

    /// <inheritdoc cref="CtlAsync(string[])"/>
    public async Task<string> CtlAsync(IEnumerable<string> args, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var arguments = args.ToArray();
        var result = await RunScriptAsync(["ctl", DataDirectory, .. arguments], CtlTimeout, ct);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"rabbitmqctl {string.Join(' ', arguments)} failed on {NodeName} (exit code {result.ExitCode}):{Environment.NewLine}{result.Output}");
        }

        return result.StdOut;
    }

    /// <summary>Stops the RabbitMQ application (clients are disconnected, the port closes); the VM keeps running.</summary>
    public async Task StopAppAsync(CancellationToken ct = default) => await CtlAsync(["stop_app"], ct);

    /// <summary>Starts the RabbitMQ application again and waits until it has fully booted.</summary>
    public async Task StartAppAsync(CancellationToken ct = default)
    {
        await CtlAsync(["start_app"], ct);
        await CtlAsync(["await_startup"], ct);
    }

    /// <summary>Closes every client connection, in every virtual host unless one is named.</summary>
    public async Task CloseAllConnectionsAsync(string? virtualHost = null, CancellationToken ct = default)
    {
        string[] args = virtualHost is null
            ? ["close_all_connections", "--global", "closed by test"]
            : ["close_all_connections", "-p", virtualHost, "closed by test"];
        await CtlAsync(args, ct);
    }

    /// <summary>
    /// Kills the broker with SIGKILL (no chance to flush or close anything), then starts it again on the same
    /// ports and data folder, as an init system would after a crash.
    /// </summary>
    public async Task KillAndRestartAsync(CancellationToken ct = default)
    {
        var pid = int.Parse((await File.ReadAllTextAsync(Path.Combine(DataDirectory, "pid"), ct)).Trim(), CultureInfo.InvariantCulture);
        using (var beam = System.Diagnostics.Process.GetProcessById(pid))
        {
            beam.Kill();
            await beam.WaitForExitAsync(ct);
        }

        // Clears what the dead node left (its epmd, pid file), keeping the data.
        await RunScriptAsync(["stop", DataDirectory], StopTimeout, ct);
        var result = await RunScriptAsync(
            ["start", DataDirectory, AmqpPort.ToString(CultureInfo.InvariantCulture), DistributionPort.ToString(CultureInfo.InvariantCulture), EpmdPort.ToString(CultureInfo.InvariantCulture)],
            StartTimeout, ct,
            new Dictionary<string, string?>
            {
                ["RABBITMQ_NODE_OWNER_PID"] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
                ["RABBITMQ_NODE_EXTRA_CONF"] = ExtraConfig,
            });
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"Could not restart RabbitMQ node {NodeName} after kill -9:{Environment.NewLine}{result.Output}");
        }
    }

    /// <summary>Stops the node (and its epmd), then deletes its folder. Throws if the node could not be stopped.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        var result = await RunScriptAsync(["stop", DataDirectory], StopTimeout, CancellationToken.None);
        if (result.ExitCode != 0)
        {
            // Keep the folder: its logs tell why.
            throw new InvalidOperationException(
                $"Could not stop RabbitMQ node {NodeName} (exit code {result.ExitCode}); data kept in {DataDirectory}:{Environment.NewLine}{result.Output}");
        }

        DeleteDirectory(DataDirectory);
    }

    public override string ToString() => $"{NodeName} on 127.0.0.1:{AmqpPort.ToString(CultureInfo.InvariantCulture)} ({DataDirectory})";

    private static Task<ProcessResult> RunScriptAsync(
        IEnumerable<string> args,
        TimeSpan timeout,
        CancellationToken ct,
        IDictionary<string, string?>? env = null) =>
        ProcessRunner.RunAsync("bash", [Script.Value, .. args], env, timeout, ct: ct);

    /// <summary>After a failed or interrupted start: stop whatever came up and remove the folder.</summary>
    private static async Task CleanUpAsync(string directory)
    {
        try
        {
            await RunScriptAsync(["stop", directory], StopTimeout, CancellationToken.None);
        }
        catch (TimeoutException)
        {
            // Best effort; the watchdog stops the node when this process exits.
        }

        DeleteDirectory(directory);
    }

    private static void DeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone.
        }
        catch (IOException)
        {
            // Best effort: the temp folder is cleaned up eventually.
        }
        catch (UnauthorizedAccessException)
        {
            // Best effort, as above.
        }
    }


    private static string FindScript()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "carrot.sln")))
            {
                var script = Path.Combine(folder.FullName, "scripts", "rabbitmq-node.sh");
                return File.Exists(script) ? script : throw new FileNotFoundException($"{script} is missing.", script);
            }
        }

        throw new InvalidOperationException($"No carrot.sln above {AppContext.BaseDirectory}.");
    }
}

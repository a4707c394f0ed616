using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Carrot.Tests.Support;

/// <summary>
/// A private RabbitMQ cluster for tests: several nodes on free 127.0.0.1 ports sharing one epmd and one Erlang
/// cookie, joined with <c>join_cluster</c>, started and faulted with <c>scripts/rabbitmq-cluster.sh</c>. The
/// cluster stops by itself when this test process dies (the script's watchdog). Nodes are numbered from 1.
/// </summary>
internal sealed class RabbitMqCluster : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(240);
    private static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(150);
    private static readonly TimeSpan CtlTimeout = TimeSpan.FromSeconds(90);
    private const int StartAttempts = 3;

    private static readonly Lazy<string> Script = new(FindScript);

    private int _disposed;

    private RabbitMqCluster(string dataDirectory, IReadOnlyList<int> amqpPorts)
    {
        DataDirectory = dataDirectory;
        AmqpPorts = amqpPorts;
    }

    public string DataDirectory { get; }

    /// <summary>The AMQP port of node i is <c>AmqpPorts[i - 1]</c>.</summary>
    public IReadOnlyList<int> AmqpPorts { get; }

    public int Count => AmqpPorts.Count;

    public string NodeName(int node) => $"carrot-{AmqpPorts[node - 1].ToString(CultureInfo.InvariantCulture)}@localhost";

    /// <summary>Each node's URI for the virtual host, as guest (allowed over loopback only, which is all we use).</summary>
    public IReadOnlyList<string> Uris(string virtualHost) =>
        AmqpPorts.Select(p => $"amqp://guest:guest@127.0.0.1:{p.ToString(CultureInfo.InvariantCulture)}/{virtualHost}").ToList();

    /// <summary>The node a port belongs to (1-based), or 0.</summary>
    public int NodeOfPort(int port) => AmqpPorts.ToList().IndexOf(port) + 1;

    /// <summary>Starts a fresh cluster of <paramref name="nodes"/> nodes; retries with other ports if one was taken meanwhile.</summary>
    public static async Task<RabbitMqCluster> StartAsync(int nodes, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            var ports = LoopbackPorts.Free(nodes * 2 + 1);
            var amqp = ports.Take(nodes).ToList();
            var directory = Path.Combine(Path.GetTempPath(), "carrot-tests", "rmq-cluster-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(directory);
            var pairs = Enumerable.Range(0, nodes).Select(i => $"{ports[i]}:{ports[nodes + i]}");
            var result = await RunScriptAsync(["start", directory, ports[^1].ToString(CultureInfo.InvariantCulture), .. pairs], StartTimeout, ct,
                new Dictionary<string, string?> { ["RABBITMQ_NODE_OWNER_PID"] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture) });
            if (result.ExitCode == 0)
            {
                return new RabbitMqCluster(directory, amqp);
            }

            DeleteDirectory(directory);
            if (attempt < StartAttempts && result.Output.Contains("already in use", StringComparison.Ordinal))
            {
                continue;
            }

            throw new InvalidOperationException($"Could not start a RabbitMQ cluster (exit code {result.ExitCode}, ports {string.Join('/', ports)}):{Environment.NewLine}{result.Output}");
        }
    }

    /// <summary>Runs <c>rabbitmqctl -n NODE args...</c> against node <paramref name="node"/> and returns its standard output.</summary>
    public async Task<string> CtlAsync(int node, IEnumerable<string> args, CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var arguments = args.ToArray();
        var result = await RunScriptAsync(["ctl", DataDirectory, node.ToString(CultureInfo.InvariantCulture), .. arguments], CtlTimeout, ct);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', arguments)} failed on {NodeName(node)} (exit code {result.ExitCode}):{Environment.NewLine}{result.Output}");
        }

        return result.StdOut;
    }

    /// <summary>A fresh virtual host that guest may use, so that each test has its own queues.</summary>
    public async Task<string> CreateVirtualHostAsync(int viaNode = 1)
    {
        var vhost = "t-" + Guid.NewGuid().ToString("N")[..12];
        await CtlAsync(viaNode, ["add_vhost", vhost]);
        await CtlAsync(viaNode, ["set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"]);
        return vhost;
    }

    /// <summary>The node (1-based) that holds the leader of a quorum queue, asked through node <paramref name="viaNode"/>.</summary>
    public async Task<int> LeaderOfAsync(string virtualHost, string queue, int viaNode = 1)
    {
        var output = await CtlAsync(viaNode, ["list_queues", "-q", "--no-table-headers", "-p", virtualHost, "name", "leader"]);
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split('\t'))
            .FirstOrDefault(parts => parts.Length == 2 && parts[0] == queue)
            ?? throw new InvalidOperationException($"No queue {queue} in {virtualHost}:{Environment.NewLine}{output}");
        var node = Enumerable.Range(1, Count).FirstOrDefault(i => NodeName(i) == line[1]);
        return node != 0 ? node : throw new InvalidOperationException($"{queue} has no leader on a node of this cluster: '{line[1]}'.");
    }

    /// <summary>The nodes (1-based) that client connections with this name prefix are connected to.</summary>
    public async Task<IReadOnlyList<int>> NodesOfConnectionsAsync(string clientNamePrefix, int viaNode = 1)
    {
        var output = await CtlAsync(viaNode, ["list_connections", "-q", "--no-table-headers", "name", "client_properties"]);

        // A connection's name is "127.0.0.1:CLIENT_PORT -> 127.0.0.1:NODE_PORT".
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.Contains(clientNamePrefix, StringComparison.Ordinal))
            .Select(l => l.Split('\t')[0].Split("->")[^1].Trim().Split(':')[^1])
            .Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? NodeOfPort(port) : 0)
            .Distinct()
            .ToList();
    }

    /// <summary>Stops node <paramref name="node"/> gracefully (<c>rabbitmqctl stop</c>: its VM exits; quorum leaders hand over first).</summary>
    public Task StopNodeAsync(int node) => NodeCommandAsync("stop-node", node);

    /// <summary>Kills node <paramref name="node"/> with SIGKILL: no chance to hand anything over.</summary>
    public Task KillNodeAsync(int node) => NodeCommandAsync("kill-node", node);

    /// <summary>Starts a stopped or killed node again from its data; it rejoins the cluster by itself.</summary>
    public Task StartNodeAsync(int node) => NodeCommandAsync("start-node", node);

    /// <summary>Stops every node and the epmd, then deletes the folder. Throws if the cluster could not be stopped.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        var result = await RunScriptAsync(["stop", DataDirectory], NodeTimeout, CancellationToken.None);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"Could not stop the RabbitMQ cluster in {DataDirectory} (exit code {result.ExitCode}):{Environment.NewLine}{result.Output}");
        }

        DeleteDirectory(DataDirectory);
    }

    public override string ToString() => $"{Count}-node RabbitMQ cluster on 127.0.0.1:{string.Join(',', AmqpPorts)} ({DataDirectory})";

    private async Task NodeCommandAsync(string command, int node)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var result = await RunScriptAsync([command, DataDirectory, node.ToString(CultureInfo.InvariantCulture)], NodeTimeout, CancellationToken.None,
            new Dictionary<string, string?> { ["RABBITMQ_NODE_OWNER_PID"] = null });
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmq-cluster.sh {command} {node} failed (exit code {result.ExitCode}):{Environment.NewLine}{result.Output}");
        }
    }

    private static Task<ProcessResult> RunScriptAsync(IEnumerable<string> args, TimeSpan timeout, CancellationToken ct, IDictionary<string, string?>? env = null) =>
        ProcessRunner.RunAsync("bash", [Script.Value, .. args], env, timeout, ct: ct);

    private static void DeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the temp folder is cleaned up eventually; a missing folder is fine too.
        }
    }


    private static string FindScript()
    {
        var script = Path.Combine(RepositoryPaths.Root, "scripts", "rabbitmq-cluster.sh");
        return File.Exists(script) ? script : throw new FileNotFoundException($"{script} is missing.", script);
    }
}

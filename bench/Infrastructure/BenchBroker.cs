using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Carrot.Bench.Infrastructure;

/// <summary>A private RabbitMQ node on free loopback ports (scripts/rabbitmq-node.sh), stopped when the bench ends.</summary>
internal sealed class BenchBroker : IAsyncDisposable
{
    private readonly BenchPaths _paths;
    private readonly string _folder;

    private BenchBroker(BenchPaths paths, string folder, int port)
    {
        _paths = paths;
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    public static async Task<BenchBroker> StartAsync(BenchPaths paths, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(paths.Scratch, "rabbitmq");
        Directory.CreateDirectory(folder);
        var ports = FreePorts(3);
        var env = new Dictionary<string, string?> { ["RABBITMQ_NODE_OWNER_PID"] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture) };
        var (code, output, _) = await ProcessTools.RunAsync("bash", [paths.NodeScript, "start", folder, .. ports.Select(p => p.ToString(CultureInfo.InvariantCulture))], env, cancellationToken);
        return code == 0 ? new BenchBroker(paths, folder, ports[0]) : throw new InvalidOperationException($"Could not start RabbitMQ: {output}");
    }

    public Task<string> CtlAsync(CancellationToken cancellationToken, params string[] args) =>
        ProcessTools.RunCheckedAsync("bash", [_paths.NodeScript, "ctl", _folder, .. args], cancellationToken);

    /// <summary>A fresh virtual host, so each measurement starts with empty queues.</summary>
    public async Task<string> CreateVirtualHostAsync(CancellationToken cancellationToken)
    {
        var vhost = "b-" + Guid.NewGuid().ToString("N")[..10];
        await CtlAsync(cancellationToken, "add_vhost", vhost);
        await CtlAsync(cancellationToken, "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
        return vhost;
    }

    public async Task DeleteVirtualHostAsync(string vhost, CancellationToken cancellationToken) =>
        await CtlAsync(cancellationToken, "delete_vhost", vhost);

    public string Uri(string vhost) => $"amqp://guest:guest@127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/{vhost}";

    public async ValueTask DisposeAsync() => await ProcessTools.RunAsync("bash", [_paths.NodeScript, "stop", _folder], null, CancellationToken.None);

    // Held open together so that the three ports differ.
    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(l => l.Start());
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        listeners.ForEach(l => l.Stop());
        return ports;
    }
}

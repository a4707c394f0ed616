using System.Globalization;
using Carrot.Client;
using Carrot.Records;
using Carrot.Tests.Support;

namespace Carrot.Tests.MultiHost;

/// <summary>
/// Base of the multi-host tests: three <see cref="SimulatedHost"/>s (own hostname, own PIDs), each running carrotd
/// over one shared store (<see cref="SharedStore"/>, one fixture per engine) and one RabbitMQ virtual host, with
/// short leases (heartbeat 1 s, lease 3 s) so that a dead or frozen host's tasks come back within seconds. Tasks are
/// <c>MyLib.HostProbe.Run</c>, whose execution log tells which host ran what, and when.
/// </summary>
[Category("MultiHost")]
public abstract class MultiHostTest(string engine)
{
    protected const string ProbeKallable = "MyLib.HostProbe.Run";

    private static readonly string[] HostNames = ["host-a", "host-b", "host-c"];

    private readonly List<SimulatedHost> _hosts = [];
    private CarrotSandbox? _sandbox;
    private SharedStore? _store;

    internal CarrotSandbox Sandbox => _sandbox ?? throw new InvalidOperationException("The sandbox exists only while a test runs.");

    internal SharedStore Store => _store ?? throw new InvalidOperationException("The store exists only while a test runs.");

    internal IReadOnlyList<SimulatedHost> Hosts => _hosts;

    /// <summary>The store engine this fixture runs on.</summary>
    protected string Engine => engine;

    /// <summary>Where the probes write their start and end lines (shared by all hosts: one file system).</summary>
    protected string ExecutionLog => Path.Combine(Sandbox.Folder, "runs.log");

    [SetUp]
    public async Task CreateWorldAsync()
    {
        _sandbox = await CarrotSandbox.CreateAsync();
        _store = await SharedStore.CreateAsync(engine, _sandbox.Folder);
        _sandbox.WriteConfig(_sandbox.BrokerUri, new Dictionary<string, object>
        {
            ["database"] = _store.DatabaseSetting,
            ["heartbeatSeconds"] = 1,
            ["leaseSeconds"] = 3,
            ["shutdownGraceSeconds"] = 2,
        });
    }

    [TearDown]
    public async Task DisposeWorldAsync()
    {
        List<string> leaks;
        try
        {
            await Task.WhenAll(_hosts.Select(h => h.DisposeAsync().AsTask()));
        }
        finally
        {
            leaks = _hosts.Where(h => h.Output.Contains(":guest@", StringComparison.Ordinal)).Select(h => h.Name).ToList();
            _hosts.Clear();
            if (_sandbox is not null)
            {
                await _sandbox.DisposeAsync();
                _sandbox = null;
            }
        }

        Assert.That(leaks, Is.Empty, "a host printed the broker password");
    }

    /// <summary>Starts the three hosts together, each consuming <paramref name="worker"/>'s queue before this returns.</summary>
    protected async Task StartHostsAsync(string worker)
    {
        // The schema first, once, so the hosts do not all start on an empty database at the same instant.
        await using (var client = await CreateClientAsync())
        {
            _ = await client.ListWorkersAsync();
        }

        await Task.WhenAll(HostNames.Select(name => StartHostAsync(name, worker)));
        Assert.That(_hosts.Select(h => h.Node).Distinct().Count(), Is.EqualTo(HostNames.Length), "two hosts report the same node");
    }

    /// <summary>Starts one more host, its carrotd as PID <paramref name="daemonPid"/> there, consuming <paramref name="worker"/>'s queue before this returns.</summary>
    internal async Task<SimulatedHost> StartHostAsync(string name, string worker, int daemonPid = 2)
    {
        var host = await SimulatedHost.StartAsync(name, Sandbox.Environment(), $"carrot.{worker}", daemonPid);
        lock (_hosts)
        {
            _hosts.Add(host);
        }

        return host;
    }

    protected Task<CarrotClient> CreateClientAsync() => Sandbox.CreateClientAsync();

    internal SimulatedHost HostNamed(string name) => _hosts.Single(h => h.Name == name);

    protected static EnqueueRequest Probe(string log, int milliseconds, string worker, TimeSpan? delay = null) => new()
    {
        Kallable = ProbeKallable,
        Args = System.Text.Json.JsonSerializer.Serialize(new object[] { log, milliseconds }),
        Worker = worker,
        Delay = delay,
    };

    /// <summary>Every task of <paramref name="worker"/>, read through the public API (so any store engine will do).</summary>
    protected static async Task<IReadOnlyList<TaskRecord>> TasksAsync(CarrotClient client, string worker) =>
        await client.ListTasksAsync(new TaskQuery { Worker = worker, Limit = 100_000 });

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    protected static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s waiting until {what}.");
            }

            await Task.Delay(100);
        }
    }

    protected static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}

using System.Diagnostics;
using Carrot.Client;
using Carrot.Configuration;
using Carrot.Records;
using Carrot.Tests.EndToEnd;
using Carrot.Tests.Support;
using Carrot.Tests.Unit;
using Microsoft.Data.Sqlite;

namespace Carrot.Tests.Faults;

/// <summary>
/// A quorum worker drains a backlog on a three-node RabbitMQ cluster while the node holding its queue's leader is
/// stopped, or killed: every task ends succeeded exactly once and none ran twice at once (the probe's execution
/// log), producers keep enqueueing through the fault, and no message went missing (the reconcile, Carrot's net
/// for lost messages, never had to act).
/// </summary>
[TestFixture]
[Category("Cluster")]
public sealed class ClusterFaultTests
{
    private const int Backlog = 240;
    private const int DuringFault = 60;
    private const int TaskMilliseconds = 100;
    private const int Concurrency = 4;

    private RabbitMqCluster? _cluster;
    private int _downNode;
    private string? _folder;
    private DaemonProcess? _daemon;

    private RabbitMqCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster starts in the fixture's setup.");

    [OneTimeSetUp]
    public async Task StartClusterAsync()
    {
        var started = Stopwatch.StartNew();
        _cluster = await RabbitMqCluster.StartAsync(3, CancellationToken.None);
        await TestContext.Progress.WriteLineAsync($"{_cluster} formed in {started.Elapsed.TotalSeconds:0.0} s");
    }

    [OneTimeTearDown]
    public async Task StopClusterAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [TearDown]
    public async Task CleanUpAsync()
    {
        if (_daemon is not null)
        {
            if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
            {
                await TestContext.Out.WriteLineAsync($"--- carrotd output ---{Environment.NewLine}{_daemon.Output}");
            }

            await _daemon.DisposeAsync();
            _daemon = null;
        }

        // The next test gets the whole cluster again.
        if (_downNode != 0)
        {
            await Cluster.StartNodeAsync(_downNode);
            _downNode = 0;
        }

        SqliteConnection.ClearAllPools();
        if (_folder is not null)
        {
            TempFolder.Delete(_folder);
            _folder = null;
        }
    }

    [Test]
    public Task LeaderNodeStoppedMidDrain_EveryTaskSucceedsOnce_NoneTwiceAtOnce() => DrainThroughFaultAsync(kill: false);

    [Test]
    public Task LeaderNodeKilledMidDrain_EveryTaskSucceedsOnce_NoneTwiceAtOnce() => DrainThroughFaultAsync(kill: true);

    private async Task DrainThroughFaultAsync(bool kill)
    {
        var vhost = await Cluster.CreateVirtualHostAsync();
        _folder = TempFolder.Create();
        var database = Path.Combine(_folder, "carrot.db");
        var config = Path.Combine(_folder, "carrot.json");
        var probe = Path.Combine(_folder, "probe.log");
        await File.WriteAllTextAsync(config, System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["database"] = database,
            ["broker"] = Cluster.Uris(vhost),
            ["queueType"] = "quorum",
            ["taskAssemblies"] = new[] { RepositoryPaths.MyLibFolder },
            ["shutdownGraceSeconds"] = 5,
            ["workerPollSeconds"] = 0.5,
            ["logLevel"] = "Debug",
        }));
        var environment = new Dictionary<string, string?>
        {
            ["CARROT_CONFIG"] = config,
            ["CARROT_DATABASE"] = null,
            ["CARROT_BROKER"] = null,
            ["CARROT_QUEUE_TYPE"] = null,
            ["CARROT_TASK_ASSEMBLIES"] = null,
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };

        // The daemon declares the queue first, so its leader sits on the node the daemon is connected to (RabbitMQ's
        // default leader locator is client-local): the fault then takes the leader and the daemon's connection.
        _daemon = DaemonProcess.Start(RepositoryPaths.Carrotd, environment);
        await _daemon.WaitForLogAsync("Consuming carrot.default", TimeSpan.FromSeconds(60));
        var leader = await Cluster.LeaderOfAsync(vhost, "carrot.default");
        var daemonNodes = await Cluster.NodesOfConnectionsAsync($"carrotd:{Environment.MachineName}:{_daemon.Pid}");

        await using var client = await CarrotClient.CreateAsync(CarrotConfiguration.Load(config, _ => null));
        var backlog = Enumerable.Range(0, Backlog)
            .Select(_ => new EnqueueRequest { Kallable = "MyLib.Probe.Run", Args = System.Text.Json.JsonSerializer.Serialize(new object[] { probe, TaskMilliseconds }) })
            .ToList();
        var ids = new List<long>();
        var unconfirmed = 0;
        foreach (var chunk in backlog.Chunk(80))
        {
            var results = await client.EnqueueManyAsync(chunk);
            ids.AddRange(results.Select(r => r.TaskId));
            unconfirmed += results.Count(r => !r.Published);
        }

        var drain = Stopwatch.StartNew();
        await WaitUntilAsync(() => Task.FromResult(ProbeLog.Read(probe).Count >= Backlog / 6), TimeSpan.FromSeconds(60), "the drain to get going");
        var doneBeforeFault = ProbeLog.Read(probe).Count;

        // The fault, and producers enqueueing one at a time while it happens.
        _downNode = leader;
        var fault = kill ? Cluster.KillNodeAsync(leader) : Cluster.StopNodeAsync(leader);
        var faultClock = Stopwatch.StartNew();
        for (var i = 0; i < DuringFault; i++)
        {
            var result = await client.EnqueueAsync("MyLib.Probe.Run", [probe, TaskMilliseconds]);
            ids.Add(result.TaskId);
            unconfirmed += result.Published ? 0 : 1;
            await Task.Delay(25);
        }

        await fault;
        var faultSeconds = faultClock.Elapsed.TotalSeconds;
        var survivor = Enumerable.Range(1, Cluster.Count).First(n => n != leader);
        await WaitUntilAsync(async () => await CountAsync(database, "status IN ('succeeded', 'failed', 'cancelled')") == ids.Count, TimeSpan.FromSeconds(120), "every task to finish");
        var drainSeconds = drain.Elapsed.TotalSeconds;
        var newLeader = await Cluster.LeaderOfAsync(vhost, "carrot.default", viaNode: survivor);

        var runs = ProbeLog.Read(probe);
        var runsPerTask = runs.GroupBy(r => r.TaskId).ToDictionary(g => g.Key, g => g.Count());
        await TestContext.Progress.WriteLineAsync(
            $"{(kill ? "kill -9" : "graceful stop")} of node {leader} (leader; the daemon was on node(s) {string.Join(',', daemonNodes)}) after {doneBeforeFault} runs; "
            + $"{ids.Count} tasks drained in {drainSeconds:0.0} s, fault command {faultSeconds:0.0} s, {unconfirmed} enqueue(s) left to the relay, new leader node {newLeader}");

        var succeeded = await CountAsync(database, "status = 'succeeded'");
        var claimedTwice = await CountAsync(database, "attempts <> 1");
        var output = _daemon.Output;
        Assert.Multiple(() =>
        {
            Assert.That(succeeded, Is.EqualTo(ids.Count), "every task succeeded");
            Assert.That(claimedTwice, Is.Zero, "no task was claimed twice");
            Assert.That(runsPerTask.Keys, Is.EquivalentTo(ids), "every task ran");
            Assert.That(runsPerTask.Values.Where(c => c != 1), Is.Empty, "no task ran more than once");
            Assert.That(ProbeLog.MaxOverlap(runs), Is.LessThanOrEqualTo(Concurrency), "no more runs at once than the worker's concurrency");
            Assert.That(newLeader, Is.Not.EqualTo(leader));
            Assert.That(output, Does.Not.Contain("holds no message for"), "the reconcile found no lost message");
            Assert.That(output, Does.Not.Contain(":guest@"), "no password in carrotd's output");
        });
    }

    private static async Task<long> CountAsync(string database, string where)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM tasks WHERE {where}";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for {what}.");
            }

            await Task.Delay(200);
        }
    }
}

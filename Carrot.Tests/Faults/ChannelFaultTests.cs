using Carrot.Tasks;
using Carrot.Tests.EndToEnd;
using Carrot.Tests.Support;

namespace Carrot.Tests.Faults;

/// <summary>
/// The broker closing consumer channels: a node of its own with node-wide settings that make it happen within
/// seconds — a consumer timeout of 3 s (RabbitMQ's default is 30 min) and at most 8 channels per connection.
/// </summary>
[TestFixture]
[Category("Faults")]
public sealed class ChannelFaultTests
{
    private RabbitMqNode _node = null!;

    [OneTimeSetUp]
    public async Task StartNodeAsync() => _node = await RabbitMqNode.StartAsync("consumer_timeout = 3000\nchannel_max = 8", CancellationToken.None);

    [OneTimeTearDown]
    public async Task StopNodeAsync() => await _node.DisposeAsync();

    [Test]
    public async Task ATaskLongerThanTheConsumerTimeout_Completes_AndItsWorkerKeepsConsuming()
    {
        await using var sandbox = await CarrotSandbox.CreateAsync(_node);
        await using var client = await sandbox.CreateClientAsync();
        await client.AddWorkerAsync("long", 1);
        var daemon = await sandbox.StartDaemonAsync();
        await daemon.WaitForLogAsync("Consuming carrot.long", TimeSpan.FromSeconds(15));
        var probe = Path.Combine(sandbox.Folder, "probe.log");

        // Concurrency 1: the backlog waits behind the long task, its prefetched deliveries unacked past the timeout.
        var slow = await client.EnqueueAsync("MyLib.Probe.Run", [probe, 75_000], worker: "long");
        await daemon.WaitForLogAsync($"Task {slow.TaskId} MyLib.Probe.Run started", TimeSpan.FromSeconds(15));
        var backlog = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            backlog.Add((await client.EnqueueAsync("MyLib.Probe.Run", [probe, 100], worker: "long")).TaskId);
        }

        var done = await client.WaitForCompletionAsync(slow.TaskId, TimeSpan.FromSeconds(150));
        foreach (var id in backlog)
        {
            var task = await client.WaitForCompletionAsync(id, TimeSpan.FromSeconds(60));
            Assert.That((task.State, task.Attempts), Is.EqualTo((TaskState.Succeeded, 1)), daemon.Output);
        }

        var runs = ProbeLog.Read(probe);
        Assert.Multiple(() =>
        {
            Assert.That((done.State, done.Attempts), Is.EqualTo((TaskState.Succeeded, 1)), daemon.Output);
            Assert.That(daemon.Output, Does.Contain("RabbitMQ closed the channel of worker long"), "the broker's consumer timeout did fire");
            Assert.That(daemon.Output, Does.Contain("consuming again on a fresh subscription"));
            Assert.That(runs.Select(r => r.TaskId), Is.EquivalentTo(backlog.Prepend(slow.TaskId)), "each ran once");
            Assert.That(ProbeLog.MaxOverlap(runs), Is.EqualTo(1), "concurrency 1 held across the channel's replacement");
        });
    }

    [Test]
    public async Task MoreWorkersThanOneConnectionHasChannels_AllConsume_OnMoreConnections()
    {
        await using var sandbox = await CarrotSandbox.CreateAsync(_node);
        await using var client = await sandbox.CreateClientAsync();
        var workers = Enumerable.Range(1, 11).Select(i => $"w{i}").ToList();
        foreach (var worker in workers)
        {
            await client.AddWorkerAsync(worker, 1);
        }

        var daemon = await sandbox.StartDaemonAsync();
        var ids = new List<long>();
        foreach (var worker in workers)
        {
            ids.Add((await client.EnqueueAsync("MyLib.Jobs.Add", [1, 2], worker: worker)).TaskId);
        }

        foreach (var id in ids)
        {
            Assert.That((await client.WaitForCompletionAsync(id, TimeSpan.FromSeconds(60))).State, Is.EqualTo(TaskState.Succeeded), daemon.Output);
        }

        Assert.That(daemon.Output, Does.Contain("Opened RabbitMQ connection 2 for consumers"));
        Assert.That(daemon.HasExited, Is.False);
    }
}

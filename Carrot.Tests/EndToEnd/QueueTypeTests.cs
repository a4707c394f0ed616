using Carrot.Tests.Support;

namespace Carrot.Tests.EndToEnd;

/// <summary>
/// queueType quorum on one node, through the published programs: a priority is refused by every producer alike,
/// tasks run, and a worker's classic queue moves to quorum as the refusal line says, without losing a task.
/// </summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class QueueTypeTests : SandboxTest
{
    [Test]
    public async Task Quorum_RefusesAPriority_FromEveryProducer_AndRunsTasksWithout()
    {
        Sandbox.WriteConfig(Sandbox.BrokerUri, new Dictionary<string, object> { ["queueType"] = "quorum" });

        var single = await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs+Nested.Ping", "--priority", "3");
        var batch = await Sandbox.CarrotWithInputAsync("""{"kallable": "MyLib.Jobs+Nested.Ping", "priority": 5}""" + "\n", "enqueue", "--batch", "-");
        var schedule = await Sandbox.CarrotAsync("schedules", "add", "nightly", "MyLib.Jobs+Nested.Ping", "--every", "1h", "--priority", "1");

        Assert.Multiple(() =>
        {
            Assert.That(single.ExitCode, Is.EqualTo(2), single.Output);
            Assert.That(single.StdErr.Trim(), Does.StartWith("carrot: Priority 3 needs classic queues, and queueType is quorum"));
            Assert.That(batch.ExitCode, Is.EqualTo(2), batch.Output);
            Assert.That(batch.StdErr.Trim(), Does.StartWith("carrot: line 1: Priority 5 needs classic queues"));
            Assert.That(schedule.ExitCode, Is.EqualTo(2), schedule.Output);
            Assert.That(schedule.StdErr.Trim(), Does.StartWith("carrot: Priority 1 needs classic queues"));
        });
        Assert.That(await Sandbox.ScalarAsync<long>("SELECT COUNT(*) FROM tasks") + await Sandbox.ScalarAsync<long>("SELECT COUNT(*) FROM schedules"), Is.Zero, "nothing was written");

        await Sandbox.StartDaemonAsync();
        await using var client = await Sandbox.CreateClientAsync();
        var queued = await client.EnqueueAsync("MyLib.Jobs+Nested.Ping");
        Assert.That((await client.WaitForCompletionAsync(queued.TaskId, TimeSpan.FromSeconds(30))).State, Is.EqualTo(Carrot.Tasks.TaskState.Succeeded));
        var type = await Sandbox.Node.CtlAsync("list_queues", "-q", "--no-table-headers", "-p", VirtualHost, "name", "type");
        Assert.That(type, Does.Contain("carrot.default\tquorum").And.Contain("carrot.dead\tquorum"));
    }

    [Test]
    public async Task ClassicQueue_MovedToQuorum_AsTheRefusalSays_LosesNoTask()
    {
        // Tasks wait in classic queues while no daemon runs.
        Sandbox.WriteConfig(Sandbox.BrokerUri, new Dictionary<string, object> { ["reconcileAfterSeconds"] = 2 });
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var enqueued = await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs+Nested.Ping");
            Assert.That(enqueued.ExitCode, Is.EqualTo(0), enqueued.Output);
            ids.Add(enqueued.StdOut.Trim());
        }

        // The configuration says quorum now: the producer's declare is refused in one line, the task is kept for the relay.
        Sandbox.WriteConfig(Sandbox.BrokerUri, new Dictionary<string, object> { ["queueType"] = "quorum", ["reconcileAfterSeconds"] = 2 });
        var refused = await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs+Nested.Ping");
        var doctor = await Sandbox.CarrotAsync("doctor");
        Assert.Multiple(() =>
        {
            Assert.That(refused.ExitCode, Is.EqualTo(75), refused.Output);
            Assert.That(refused.StdErr, Does.Contain("RabbitMQ refused to declare carrot.dead as a quorum queue: it exists as a classic queue"));
            Assert.That(refused.StdErr, Does.Contain($"rabbitmqctl delete_queue -p {VirtualHost} carrot.dead"));
            Assert.That(refused.StdErr.Trim().Split('\n'), Has.Length.EqualTo(1));
            Assert.That(doctor.ExitCode, Is.EqualTo(1), doctor.Output);
            Assert.That(doctor.StdOut, Does.Contain("Worker default: RabbitMQ refused to declare carrot.default as a quorum queue: it exists as a classic queue"));
        });
        ids.Add(refused.StdOut.Trim());

        var daemon = await Sandbox.StartDaemonAsync(waitUntilConsuming: false);
        await daemon.WaitForLogAsync("RabbitMQ refused to declare carrot.dead as a quorum queue", TimeSpan.FromSeconds(30));

        // What the line says: delete Carrot's queues; the daemon declares them as quorum and publishes the tasks again.
        await Sandbox.Node.CtlAsync("delete_queue", "-p", VirtualHost, "carrot.dead");
        await Sandbox.Node.CtlAsync("delete_queue", "-p", VirtualHost, "carrot.default");
        await daemon.WaitForLogAsync("Consuming carrot.default", TimeSpan.FromSeconds(30));
        await using var client = await Sandbox.CreateClientAsync();
        foreach (var id in ids)
        {
            var done = await client.WaitForCompletionAsync(long.Parse(id, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromSeconds(60));
            Assert.That(done.State, Is.EqualTo(Carrot.Tasks.TaskState.Succeeded), $"task {id}");
            Assert.That(done.Attempts, Is.EqualTo(1), $"task {id}");
        }

        var type = await Sandbox.Node.CtlAsync("list_queues", "-q", "--no-table-headers", "-p", VirtualHost, "name", "type");
        Assert.That(type, Does.Contain("carrot.default\tquorum"));
    }

    private string VirtualHost => new Uri(Sandbox.BrokerUri).AbsolutePath.Trim('/');
}

using System.Text;
using Carrot.Tasks;
using Carrot.Tests.EndToEnd;
using Carrot.Tests.Support;
using RabbitMQ.Client;

namespace Carrot.Tests.Faults;

/// <summary>Messages published straight to a worker queue, bypassing Carrot: the daemon never crashes and never runs a task twice.</summary>
[TestFixture]
[Category("Faults")]
public sealed class MessageFaultTests : SandboxTest
{
    [Test]
    public async Task DuplicateEmptyNonJsonAndUnknownIdMessages_AreDroppedOrDeadLettered_AndTheTaskRunsOnce()
    {
        var daemon = await Sandbox.StartDaemonAsync();
        await using var client = await Sandbox.CreateClientAsync();
        var probe = Path.Combine(Sandbox.Folder, "probe.log");
        var queued = await client.EnqueueAsync("MyLib.Probe.Run", [probe, 300]);

        await using (var connection = await new ConnectionFactory { Uri = new Uri(Sandbox.BrokerUri) }.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            var bodies = new List<byte[]> { Array.Empty<byte>(), Encoding.UTF8.GetBytes("not json at all"), new byte[] { 0xff, 0xfe, 0x00 }, Encoding.UTF8.GetBytes("""{"v":1,"task_id":999999}""") };
            bodies.AddRange(Enumerable.Repeat(Encoding.UTF8.GetBytes($$"""{"v":1,"task_id":{{queued.TaskId}}}"""), 5));
            foreach (var body in bodies)
            {
                await channel.BasicPublishAsync("carrot", "default", body);
            }
        }

        var done = await client.WaitForCompletionAsync(queued.TaskId, TimeSpan.FromSeconds(20));
        await daemon.WaitForLogAsync("no such task in the database", TimeSpan.FromSeconds(10));
        var after = await client.EnqueueAsync("MyLib.Jobs+Nested.Ping");
        var ping = await client.WaitForCompletionAsync(after.TaskId, TimeSpan.FromSeconds(20));
        var dead = await Sandbox.Node.CtlAsync("list_queues", "-p", new Uri(Sandbox.BrokerUri).AbsolutePath.Trim('/'), "name", "messages");

        Assert.Multiple(() =>
        {
            Assert.That(done.State, Is.EqualTo(TaskState.Succeeded));
            Assert.That(done.Attempts, Is.EqualTo(1));
            Assert.That(ProbeLog.Read(probe), Has.Count.EqualTo(1));
            Assert.That(ping.State, Is.EqualTo(TaskState.Succeeded));
            Assert.That(daemon.HasExited, Is.False);
            Assert.That(dead, Does.Match(@"carrot\.dead\s+3"));
        });
    }
}

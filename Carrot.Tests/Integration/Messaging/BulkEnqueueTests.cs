using System.Net;
using System.Net.Sockets;
using Carrot.Errors;
using Carrot.Records;
using Carrot.Tasks;
using Carrot.Tests.Support;

namespace Carrot.Tests.Integration.Messaging;

/// <summary>CarrotClient.EnqueueManyAsync against a real RabbitMQ node and a real SQLite file.</summary>
[TestFixture]
[Category("Integration")]
public sealed class BulkEnqueueTests : SandboxTest
{
    [Test]
    public async Task EnqueueMany_RecordsEveryRowInOrder_AndTheBrokerHoldsOneMessageEach()
    {
        await using var client = await Sandbox.CreateClientAsync();
        await client.AddWorkerAsync("bulk", 2);
        var requests = Enumerable.Range(0, 1000).Select(i => new EnqueueRequest
        {
            Kallable = "MyLib.Jobs.Add",
            Args = $"[{i}, 1]",
            Worker = i % 4 == 0 ? "bulk" : "default",
            Priority = i % 10,
        }).ToList();

        var results = await client.EnqueueManyAsync(requests);

        Assert.That(results, Has.Count.EqualTo(1000));
        Assert.That(results.All(r => r.Published), Is.True, results.FirstOrDefault(r => !r.Published)?.PublishError);
        Assert.That(results.Select(r => r.TaskId), Is.Ordered.Ascending.And.Unique);
        var task = await client.GetTaskAsync(results[500].TaskId);
        Assert.Multiple(async () =>
        {
            Assert.That(task!.Args, Is.EqualTo("[500,1]"));
            Assert.That(task.Worker, Is.EqualTo("bulk"));
            Assert.That(task.State, Is.EqualTo(TaskState.Queued));
            Assert.That(await Sandbox.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE published_at IS NOT NULL"), Is.EqualTo(1000));
            var status = await client.GetStatusAsync();
            Assert.That(status.Workers.Single(w => w.Worker == "bulk").QueueDepth, Is.EqualTo(250));
            Assert.That(status.Workers.Single(w => w.Worker == "default").QueueDepth, Is.EqualTo(750));
        });
    }

    [TestCase(3, "There is no worker named 'nope'")]
    [TestCase(0, "Unknown kallable")]
    [TestCase(7, "must be a JSON array")]
    [TestCase(5, "Priority 12 is out of range")]
    public async Task OneBadRequest_IsNamedByItsIndex_AndNothingIsWritten(int bad, string expected)
    {
        await using var client = await Sandbox.CreateClientAsync();
        var requests = Enumerable.Range(0, 10).Select(i => new EnqueueRequest { Kallable = "MyLib.Jobs.Bark", Args = """["Rex"]""" }).ToList();
        requests[bad] = bad switch
        {
            3 => requests[bad] with { Worker = "nope" },
            0 => requests[bad] with { Kallable = "MyLib.Nope.Run" },
            7 => requests[bad] with { Args = """{"name": "Rex"}""" },
            _ => requests[bad] with { Priority = 12 },
        };

        var error = Assert.ThrowsAsync<CarrotInputException>(() => client.EnqueueManyAsync(requests));

        Assert.That(error!.BatchIndex, Is.EqualTo(bad));
        Assert.That(error.Message, Does.StartWith($"Request {bad}: ").And.Contain(expected));
        Assert.That(await Sandbox.ScalarAsync<long>("SELECT count(*) FROM tasks"), Is.Zero);
    }

    [Test]
    public async Task EnqueueMany_WithTheBrokerDown_SavesEveryRowUnpublished_ForTheRelay()
    {
        Sandbox.WriteConfig($"amqp://guest:guest@127.0.0.1:{UnusedPort()}/");
        await using var client = await Sandbox.CreateClientAsync();

        var results = await client.EnqueueManyAsync(Enumerable.Range(0, 600).Select(_ => new EnqueueRequest { Kallable = "MyLib.Bench.Noop" }).ToList());

        Assert.That(results, Has.Count.EqualTo(600));
        Assert.That(results.Any(r => r.Published), Is.False);
        Assert.That(results[0].PublishError, Does.Contain("RabbitMQ"));
        Assert.That(await Sandbox.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE status = 'queued' AND published_at IS NULL"), Is.EqualTo(600));
    }

    [Test]
    public async Task EnqueueMany_OfNothing_WritesNothing()
    {
        await using var client = await Sandbox.CreateClientAsync();

        Assert.That(await client.EnqueueManyAsync([]), Is.Empty);
        Assert.That(await Sandbox.ScalarAsync<long>("SELECT count(*) FROM tasks"), Is.Zero);
    }

    [Test]
    public async Task ADaemon_RunsEveryBulkEnqueuedTask()
    {
        await using var client = await Sandbox.CreateClientAsync();
        var results = await client.EnqueueManyAsync(Enumerable.Range(0, 300).Select(i => new EnqueueRequest { Kallable = "MyLib.Jobs.Add", Args = $"[{i}, {i}]" }).ToList());
        await Sandbox.StartDaemonAsync();

        var last = await client.WaitForCompletionAsync(results[^1].TaskId, TimeSpan.FromSeconds(60));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await Sandbox.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE status <> 'succeeded'") > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.That(last.State, Is.EqualTo(TaskState.Succeeded));
        Assert.That(await Sandbox.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE status = 'succeeded'"), Is.EqualTo(300));
        Assert.That((await client.GetTaskAsync(results[123].TaskId))!.Result, Is.EqualTo("246"));
    }

    [Test]
    public async Task EnqueueMany_HonoursDelaysRetriesAndTimeouts_LikeASingleEnqueue()
    {
        await using var client = await Sandbox.CreateClientAsync();

        var results = await client.EnqueueManyAsync(
        [
            new EnqueueRequest { Kallable = "MyLib.Jobs.Bark", Args = """["now"]""" },
            new EnqueueRequest { Kallable = "MyLib.Jobs.Bark", Args = """["later"]""", Delay = TimeSpan.FromHours(1), MaxRetries = 7, Timeout = TimeSpan.FromSeconds(30) },
        ]);

        var later = (await client.GetTaskAsync(results[1].TaskId))!;
        Assert.Multiple(() =>
        {
            Assert.That(results[0].Published, Is.True);
            Assert.That(results[1].Published, Is.False, "nothing is published before it is due");
            Assert.That(results[1].Dispatched, Is.True);
            Assert.That(results[1].ScheduledFor, Is.Not.Null);
            Assert.That(later.State, Is.EqualTo(TaskState.Scheduled));
            Assert.That(later.MaxAttempts, Is.EqualTo(8));
            Assert.That(later.Timeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(later.RunAt, Is.EqualTo(results[1].ScheduledFor).Within(TimeSpan.FromMilliseconds(1)));
        });
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

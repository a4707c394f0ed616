using Carrot.Errors;
using Carrot.Records;
using Carrot.Tests.Support;

namespace Carrot.Tests.Integration.Messaging;

/// <summary>
/// Against a real RabbitMQ node: what is refused leaves no queue behind, and no task is sent to a worker that no
/// longer exists. The queues are read from the node itself (rabbitmqctl list_queues on the test's virtual host).
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class StrayQueueTests : SandboxTest
{
    [Test]
    public async Task AnEnqueueForAnUnknownWorker_IsRefused_AndDeclaresNoQueue()
    {
        await using var client = await Sandbox.CreateClientAsync();

        Assert.ThrowsAsync<CarrotInputException>(() => client.EnqueueAsync("MyLib.Jobs.Bark", ["Rex"], worker: "ghost"));

        Assert.That(await QueuesAsync(), Does.Not.Contain("carrot.ghost"));
    }

    [Test]
    public async Task AnEnqueueWithBadArguments_ForAWorkerWithoutAQueueYet_DeclaresNoQueue()
    {
        await using var client = await Sandbox.CreateClientAsync();
        await client.AddWorkerAsync("files");

        Assert.ThrowsAsync<CarrotInputException>(() => client.EnqueueAsync("MyLib.Jobs.Bark", [1, 2, 3], worker: "files"));
        Assert.That(await QueuesAsync(), Does.Not.Contain("carrot.files"));

        var queued = await client.EnqueueAsync("MyLib.Jobs.Bark", ["Rex"], worker: "files");
        Assert.That(queued.Published, Is.True, queued.PublishError);
        Assert.That(await QueuesAsync(), Does.Contain("carrot.files"), "a good enqueue still declares its queue");
    }

    [Test]
    public async Task RetryingATaskWhoseWorkerWasRemoved_IsRefused_AndDeclaresNoQueue()
    {
        await using var client = await Sandbox.CreateClientAsync();
        await client.AddWorkerAsync("files");
        var scheduled = await client.EnqueueAsync(new EnqueueRequest { Kallable = "MyLib.Jobs.Bark", Args = """["Rex"]""", Worker = "files", Delay = TimeSpan.FromHours(1) });
        await Sandbox.ExecuteAsync($"UPDATE tasks SET status = 'failed', finished_at = 1 WHERE id = {scheduled.TaskId}");
        await client.RemoveWorkerAsync("files");

        var error = Assert.ThrowsAsync<CarrotInputException>(() => client.RetryTaskAsync(scheduled.TaskId));
        var (retried, _, left) = await client.RetryFailedTasksAsync();

        Assert.That(error!.Message, Does.Contain("worker 'files', which no longer exists"));
        Assert.That((retried, left), Is.EqualTo((0, 1)));
        Assert.That((await client.GetTaskAsync(scheduled.TaskId))!.State, Is.EqualTo(Carrot.Tasks.TaskState.Failed));
        Assert.That(await QueuesAsync(), Does.Not.Contain("carrot.files"));
    }

    [Test]
    public async Task RunNowAndResume_OfAScheduleWhoseWorkerVanished_AreRefused_AndDeclareNoQueue()
    {
        await using var client = await Sandbox.CreateClientAsync();
        await client.AddWorkerAsync("files");
        await client.AddScheduleAsync(new ScheduleRequest { Name = "nightly", Kallable = "MyLib.Jobs.Bark", Args = """["Rex"]""", Worker = "files", Every = TimeSpan.FromHours(1) });
        await client.PauseScheduleAsync("nightly");
        Assert.ThrowsAsync<CarrotInputException>(() => client.RemoveWorkerAsync("files"), "the schedule still names it");
        await Sandbox.ExecuteAsync("DELETE FROM workers WHERE name = 'files'");

        Assert.ThrowsAsync<CarrotInputException>(() => client.RunScheduleNowAsync("nightly"));
        Assert.ThrowsAsync<CarrotInputException>(() => client.ResumeScheduleAsync("nightly"));

        Assert.That(await Sandbox.ScalarAsync<long>("SELECT count(*) FROM tasks"), Is.Zero);
        Assert.That(await QueuesAsync(), Does.Not.Contain("carrot.files"));
    }

    private async Task<string> QueuesAsync()
    {
        var vhost = Sandbox.BrokerUri[(Sandbox.BrokerUri.LastIndexOf('/') + 1)..];
        return await Sandbox.Node.CtlAsync("list_queues", "-p", vhost, "name");
    }
}

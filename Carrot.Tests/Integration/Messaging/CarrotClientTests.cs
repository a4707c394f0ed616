using Carrot.Client;
using Carrot.Configuration;
using Carrot.Records;
using Carrot.Tasks;
using Carrot.Tests.Support;

namespace Carrot.Tests.Integration.Messaging;

/// <summary>CarrotClient against a real RabbitMQ node and a real SQLite file, with no daemon running.</summary>
[TestFixture]
[Category("Integration")]
public sealed class CarrotClientTests : SandboxTest
{
    [Test]
    public async Task Enqueue_RecordsTheRow_AndTheBrokerHoldsOnePersistentMessage()
    {
        await using var client = await Sandbox.CreateClientAsync();

        var queued = await client.EnqueueAsync("MyLib.Jobs.Bark", ["Rex"], new { times = 2 }, priority: 5);

        Assert.That(queued.Published, Is.True, queued.PublishError);
        var task = await client.GetTaskAsync(queued.TaskId);
        Assert.Multiple(() =>
        {
            Assert.That(task!.State, Is.EqualTo(TaskState.Queued));
            Assert.That(task.Args, Is.EqualTo("""["Rex"]"""));
            Assert.That(task.Kwargs, Is.EqualTo("""{"times":2}"""));
            Assert.That(task.Priority, Is.EqualTo(5));
            Assert.That(task.PublishedAt, Is.Not.Null);
        });
        var status = await client.GetStatusAsync();
        Assert.That(status.BrokerError, Is.Null);
        Assert.That(status.Workers.Single(w => w.Worker == "default").QueueDepth, Is.EqualTo(1));
    }

    [Test]
    public async Task ReadmeExample_RunsAsWritten()
    {
        Environment.SetEnvironmentVariable("CARROT_CONFIG", Sandbox.ConfigPath);
        try
        {
            await Sandbox.StartDaemonAsync();

            // From README.md, "Producing tasks from your application".
            var options = CarrotConfiguration.Load();
            await using var client = await CarrotClient.CreateAsync(options);
            var queued = await client.EnqueueAsync("MyLib.Jobs.ProcessFile",
                args: ["/tmp/huge1.wav"], kwargs: new { bitrate = 1411 }, worker: "default");
            var done = await client.WaitForCompletionAsync(queued.TaskId, TimeSpan.FromMinutes(1));
            await client.AddWorkerAsync("reports", concurrency: 2, description: "Nightly reports");
            var failed = await client.ListTasksAsync(new TaskQuery { State = TaskState.Failed, Limit = 20 });

            Assert.That(queued.Published, Is.True);
            Assert.That(done.State, Is.EqualTo(TaskState.Succeeded), done.ErrorMessage);
            Assert.That(done.Result, Does.Contain("\"bitrate\":1411"));
            Assert.That(failed, Is.Empty);
            Assert.That((await client.ListWorkersAsync()).Select(w => w.Name), Does.Contain("reports"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("CARROT_CONFIG", null);
        }
    }

    [Test]
    public async Task HugeArguments_AreRefusedWithALimitError_AndNothingIsWritten()
    {
        await using var client = await Sandbox.CreateClientAsync();
        var tenMiB = new string('x', 10 * 1024 * 1024);

        var error = Assert.ThrowsAsync<Carrot.Errors.CarrotInputException>(() => client.EnqueueAsync("MyLib.Jobs.Bark", [tenMiB]));

        Assert.That(error!.Message, Does.Contain("over the limit of 1,048,576"));
        Assert.That(await Sandbox.ScalarAsync<long>("SELECT count(*) FROM tasks"), Is.Zero);
    }
}

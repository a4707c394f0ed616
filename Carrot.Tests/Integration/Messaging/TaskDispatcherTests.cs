using Carrot.Configuration;
using Carrot.Messaging;
using Carrot.Storage;
using Carrot.Tests.Support;

namespace Carrot.Tests.Integration.Messaging;

/// <summary>The one publish-and-mark component, against a real RabbitMQ node and a real SQLite file.</summary>
[TestFixture]
[Category("Integration")]
public sealed class TaskDispatcherTests : SandboxTest
{
    [Test]
    public async Task DispatchMany_PublishesAndMarksEveryTask_AcrossSeveralWindows()
    {
        var (tasks, options) = await OpenAsync();
        var ids = await tasks.InsertManyAsync(Enumerable.Range(0, 2 * TaskPublisher.MaxInFlight + 17).Select(_ => NewTask()).ToList(), CancellationToken.None);
        await using var publisher = new TaskPublisher(new BrokerConnector(options), "dispatcher-test");

        var report = await new TaskDispatcher(publisher, tasks).DispatchManyAsync(ids.Select(id => new UnpublishedTask(id, "default", 0)).ToList(), CancellationToken.None);

        Assert.That(report.FirstError, Is.Null);
        Assert.That(report.MarkFailure, Is.Null);
        Assert.That(report.Published, Is.EqualTo(ids.Count));
        Assert.That(await Sandbox.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE published_at IS NULL"), Is.Zero);
        Assert.That(await QueueDepthAsync("carrot.default"), Is.EqualTo(ids.Count));
    }

    [Test]
    public async Task Dispatch_WithTheBrokerDown_SaysWhy_AndLeavesTheRowsForTheRelay()
    {
        var (tasks, options) = await OpenAsync();
        var ids = await tasks.InsertManyAsync([NewTask(), NewTask(), NewTask()], CancellationToken.None);
        options.Broker = "amqp://guest:guest@127.0.0.1:1/";
        await using var publisher = new TaskPublisher(new BrokerConnector(options), "dispatcher-test");
        var dispatcher = new TaskDispatcher(publisher, tasks);

        var one = await dispatcher.DispatchAsync(new UnpublishedTask(ids[0], "default", 0), CancellationToken.None);
        var many = await dispatcher.DispatchManyAsync(ids.Skip(1).Select(id => new UnpublishedTask(id, "default", 0)).ToList(), CancellationToken.None);

        Assert.That(one, Does.Contain("Cannot reach RabbitMQ"));
        Assert.That(many.Errors, Has.All.Contain("RabbitMQ"));
        Assert.That(many.Published, Is.Zero);
        Assert.That(await Sandbox.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE published_at IS NULL"), Is.EqualTo(3));
    }

    private async Task<(TaskStore Tasks, CarrotOptions Options)> OpenAsync()
    {
        var options = CarrotConfiguration.Load(Sandbox.ConfigPath, _ => null);
        var engine = StoreEngine.Create(options);
        await engine.MigrateAsync(CancellationToken.None);
        return (new TaskStore(new CarrotDatabase(engine), TimeProvider.System), options);
    }

    private static NewTask NewTask() => new("MyLib.Jobs.Bark", """["Rex"]""", "{}", "default", 0, 3);

    private async Task<long> QueueDepthAsync(string queue)
    {
        var vhost = Sandbox.BrokerUri[(Sandbox.BrokerUri.LastIndexOf('/') + 1)..];
        var lines = (await Sandbox.Node.CtlAsync("list_queues", "-p", vhost, "--no-table-headers", "name", "messages")).Split('\n');
        var row = lines.Select(l => l.Split('\t')).First(p => p[0] == queue);
        return long.Parse(row[1].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

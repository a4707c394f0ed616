using System.Diagnostics;
using Carrot.Records;
using Carrot.Tests.Support;

namespace Carrot.Tests.Observability;

/// <summary>The producer's side: CarrotClient's enqueue span and counter, against a real RabbitMQ node and SQLite file.</summary>
[TestFixture]
[Category("Integration")]
public sealed class ProducerSpanTests : SandboxTest
{
    [Test]
    public async Task Enqueue_UnderARequestSpan_MakesAProducerSpanChildOfIt_AndStoresThatSpanAsTheTasksParent()
    {
        using var spans = new SpanRecorder();
        using var metrics = new MetricRecorder();
        await using var client = await Sandbox.CreateClientAsync();
        using var request = new Activity("GET /orders").SetIdFormat(ActivityIdFormat.W3C).Start();

        var queued = await client.EnqueueAsync(new EnqueueRequest { Kallable = "MyLib.Jobs.Add", Args = "[2, 3]" });
        request.Stop();

        var send = spans.OfTask(queued.TaskId).Single();
        var task = (await client.GetTaskAsync(queued.TaskId))!;
        Assert.Multiple(() =>
        {
            Assert.That(send.DisplayName, Is.EqualTo("send default"));
            Assert.That(send.Kind, Is.EqualTo(ActivityKind.Producer));
            Assert.That(send.TraceId, Is.EqualTo(request.TraceId));
            Assert.That(send.ParentSpanId, Is.EqualTo(request.SpanId));
            Assert.That(send.GetTagItem("messaging.system"), Is.EqualTo("rabbitmq"));
            Assert.That(send.GetTagItem("messaging.operation.type"), Is.EqualTo("send"));
            Assert.That(send.GetTagItem("messaging.destination.name"), Is.EqualTo("default"));
            Assert.That(send.GetTagItem("carrot.task.kallable"), Is.EqualTo("MyLib.Jobs.Add"));
            Assert.That(task.TraceParent, Is.EqualTo(send.Id), "the attempts continue from the producer span");
            Assert.That(metrics.Of("messaging.client.sent.messages", "MyLib.Jobs.Add").Sum(m => m.Value), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Enqueue_WithATraceparentOfItsOwn_ContinuesThatTrace()
    {
        using var spans = new SpanRecorder();
        await using var client = await Sandbox.CreateClientAsync();
        const string Given = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        var queued = await client.EnqueueAsync(new EnqueueRequest { Kallable = "MyLib.Jobs.Add", Args = "[2, 3]", TraceParent = Given });

        var send = spans.OfTask(queued.TaskId).Single();
        Assert.That((send.TraceId.ToHexString(), send.ParentSpanId.ToHexString()), Is.EqualTo(("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331")));
    }

    [Test]
    public async Task Enqueue_WithNoListenerAndNoTrace_StoresNoTraceparent()
    {
        await using var client = await Sandbox.CreateClientAsync();
        Activity.Current = null;

        var queued = await client.EnqueueAsync(new EnqueueRequest { Kallable = "MyLib.Jobs.Add", Args = "[2, 3]" });

        Assert.That((await client.GetTaskAsync(queued.TaskId))!.TraceParent, Is.Null);
    }

    [Test]
    public async Task Enqueue_WithAMalformedTraceparent_IsRefused_AndNothingIsWritten()
    {
        await using var client = await Sandbox.CreateClientAsync();

        var refused = Assert.ThrowsAsync<Carrot.Errors.CarrotInputException>(() =>
            client.EnqueueAsync(new EnqueueRequest { Kallable = "MyLib.Jobs.Add", Args = "[2, 3]", TraceParent = "00-abc" }));

        Assert.That(refused!.Message, Does.Contain("is not a W3C traceparent"));
        Assert.That(await Sandbox.ScalarAsync<long>("SELECT count(*) FROM tasks"), Is.Zero);
    }
}

using System.Diagnostics;
using Carrot.Daemon.Consuming;
using Carrot.Daemon.Execution;
using Carrot.Daemon.Hosting;
using Carrot.Daemon.Logging;
using Carrot.Daemon.Reloading;
using Carrot.Kallables;
using Carrot.Messaging;
using Carrot.Tests.Integration.Storage;
using Carrot.Tests.Unit;
using Microsoft.Extensions.DependencyInjection;

namespace Carrot.Tests.Observability;

/// <summary>
/// The daemon's side: each attempt's process span and metrics, through the real delivery pipeline (real store, real
/// writer, real executor over MyLib) and real listeners, on both engines.
/// </summary>
[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres)]
#pragma warning disable CA1001 // Created and disposed per test by SetUp and TearDown.
public sealed class ProcessSpanTests(StoreKind kind) : StorageTestBase(kind)
#pragma warning restore CA1001
{
    private const string Producer = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly Serilog.ILogger _logger = Serilog.Core.Logger.None;
    private ServiceProvider _services = null!;
    private GroupCommitWriter _writer = null!;
    private ShutdownTokens _shutdown = null!;

    [SetUp]
    public void CreatePipeline()
    {
        _services = new ServiceCollection().AddLogging().BuildServiceProvider();
        _writer = new GroupCommitWriter(Engine, Clock, _logger);
        _shutdown = new ShutdownTokens();
    }

    [TearDown]
    public async Task DisposePipeline()
    {
        await _writer.DisposeAsync();
        await _services.DisposeAsync();
        _shutdown.Dispose();
    }

    [Test]
    public async Task AnAttempt_IsAConsumerSpan_ChildOfTheStoredContext_WithTheMessagingAttributes_AndCounted()
    {
        using var spans = new SpanRecorder();
        using var metrics = new MetricRecorder();
        var id = await Tasks.InsertAsync(NewTask("MyLib.Jobs.Add") with { Args = "[2, 3]", Kwargs = "{}", TraceParent = Producer }, None);

        await RunAsync(id);

        var process = spans.OfTask(id).Single();
        Assert.Multiple(() =>
        {
            Assert.That(process.DisplayName, Is.EqualTo("process default"));
            Assert.That(process.Kind, Is.EqualTo(ActivityKind.Consumer));
            Assert.That(process.TraceId.ToHexString(), Is.EqualTo("4bf92f3577b34da6a3ce929d0e0e4736"));
            Assert.That(process.ParentSpanId.ToHexString(), Is.EqualTo("00f067aa0ba902b7"));
            Assert.That(process.GetTagItem("messaging.system"), Is.EqualTo("rabbitmq"));
            Assert.That(process.GetTagItem("messaging.operation.type"), Is.EqualTo("process"));
            Assert.That(process.GetTagItem("messaging.destination.name"), Is.EqualTo("default"));
            Assert.That(process.GetTagItem("carrot.task.kallable"), Is.EqualTo("MyLib.Jobs.Add"));
            Assert.That(process.GetTagItem("carrot.worker"), Is.EqualTo("default"));
            Assert.That(process.GetTagItem("carrot.task.attempt"), Is.EqualTo(1));
            Assert.That(process.Status, Is.EqualTo(ActivityStatusCode.Unset));
            Assert.That(metrics.Of("carrot.task.started", "MyLib.Jobs.Add").Sum(m => m.Value), Is.EqualTo(1));
            Assert.That(metrics.Of("carrot.task.finished", "MyLib.Jobs.Add").Single().Tags["carrot.task.outcome"], Is.EqualTo("succeeded"));
            Assert.That(metrics.Of("messaging.process.duration", "MyLib.Jobs.Add").Single().Unit, Is.EqualTo("s"));
            Assert.That(metrics.Of("carrot.task.queue_wait", "MyLib.Jobs.Add").Single().Value, Is.GreaterThanOrEqualTo(0));
        });
    }

    [Test]
    public async Task AFailedAttemptWithRetriesLeft_IsAnErrorSpanWithTheException_AndCountedAsARetry()
    {
        using var spans = new SpanRecorder();
        using var metrics = new MetricRecorder();
        var id = await Tasks.InsertAsync(NewTask("MyLib.Flaky.SucceedOnAttempt") with { Args = "[2]", Kwargs = "{}", TraceParent = Producer }, None);

        await RunAsync(id);

        var process = spans.OfTask(id).Single();
        var exception = process.Events.Single(e => e.Name == "exception");
        Assert.Multiple(() =>
        {
            Assert.That(process.Status, Is.EqualTo(ActivityStatusCode.Error));
            Assert.That(process.GetTagItem("error.type"), Is.EqualTo("System.InvalidOperationException"));
            Assert.That(exception.Tags.Single(t => t.Key == "exception.message").Value as string, Does.Contain("fails on purpose"));
            Assert.That(metrics.Of("carrot.task.finished", "MyLib.Flaky.SucceedOnAttempt").Single().Tags["carrot.task.outcome"], Is.EqualTo("retry"));
            Assert.That(metrics.Of("carrot.task.retries", "MyLib.Flaky.SucceedOnAttempt").Sum(m => m.Value), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task ATaskWithNoStoredContext_StartsATraceOfItsOwn()
    {
        using var spans = new SpanRecorder();
        var id = await Tasks.InsertAsync(NewTask("MyLib.Jobs.Add") with { Args = "[2, 3]", Kwargs = "{}" }, None);

        await RunAsync(id);

        var process = spans.OfTask(id).Single();
        Assert.That((process.ParentSpanId, process.Parent), Is.EqualTo((default(ActivitySpanId), (Activity?)null)));
    }

    private async Task RunAsync(long id)
    {
        var catalogs = new KallableCatalogSource(KallableCatalog.Load([TestAssets.MyLibDll]), _logger);
        var executor = Carrot.Tests.Isolation.TestExecutors.InProcess(catalogs, _services, new TaskLogCapture(), new RunawayTasks(Tasks, _logger), Options, _logger, Clock);
        var processor = new DeliveryProcessor(Tasks, _writer, executor, new DaemonIdentity(), Options, new StoreRetry(_logger), new RunAloneGate(),
            new RetryPolicy(Options, Clock, new Random(1)), new HeldTasks(), _logger);
        var admission = await processor.AdmitAsync(new Delivery(1, TaskMessage.Encode(id), null!), "default", _shutdown);
        Assert.That(admission.Decision, Is.EqualTo(AckDecision.Ack));
        await await processor.RunAsync(admission, _shutdown);
    }
}

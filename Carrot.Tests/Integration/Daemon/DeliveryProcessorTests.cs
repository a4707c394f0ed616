using Carrot.Daemon.Consuming;
using Carrot.Daemon.Execution;
using Carrot.Tests.Isolation;
using Carrot.Daemon.Hosting;
using Carrot.Daemon.Logging;
using Carrot.Daemon.Reloading;
using Carrot.Kallables;
using Carrot.Lifecycle;
using Carrot.Messaging;
using Carrot.Tasks;
using Carrot.Tests.Integration.Storage;
using Carrot.Tests.Unit;
using Microsoft.Extensions.DependencyInjection;

namespace Carrot.Tests.Integration.Daemon;

/// <summary>
/// The delivery pipeline without a broker: real SQLite, the real writer, the real executor over MyLib. Every
/// delivery is settled, and every claimed task ends in a recorded outcome, whatever fails between the two.
/// </summary>
[TestFixture(StoreKind.Sqlite)]
[TestFixture(StoreKind.Postgres)]
#pragma warning disable CA1001 // Created and disposed per test by SetUp and TearDown.
public sealed class DeliveryProcessorTests(StoreKind kind) : StorageTestBase(kind)
#pragma warning restore CA1001
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly Serilog.ILogger _logger = Serilog.Core.Logger.None;
    private KallableCatalogSource _catalogs = null!;
    private ServiceProvider _services = null!;
    private GroupCommitWriter _writer = null!;
    private ShutdownTokens _shutdown = null!;
    private HeldTasks _held = null!;

    [SetUp]
    public void CreatePipeline()
    {
        _catalogs = new KallableCatalogSource(KallableCatalog.Load([TestAssets.MyLibDll]), _logger);
        _services = new ServiceCollection().AddLogging().BuildServiceProvider();
        _writer = new GroupCommitWriter(Engine, Clock, _logger);
        _shutdown = new ShutdownTokens();
        _held = new HeldTasks();
    }

    [TearDown]
    public async Task DisposePipeline()
    {
        await _writer.DisposeAsync();
        await _services.DisposeAsync();
        _shutdown.Dispose();
    }

    [Test]
    public async Task AClaimedDelivery_IsAckedAtOnce_RunsAndIsRecorded_ThenNoLongerHeld()
    {
        var id = await Tasks.InsertAsync(NewTask("MyLib.Jobs.Add") with { Args = "[2, 3]", Kwargs = "{}" }, None);
        var processor = NewProcessor(Options);

        var admission = await processor.AdmitAsync(DeliveryOf(id), "default", _shutdown);
        Assert.That(admission.Decision, Is.EqualTo(AckDecision.Ack));
        Assert.That(_held.Ids, Is.EqualTo(new[] { id }), "its lease is renewed while held");
        await await processor.RunAsync(admission, _shutdown);

        var task = (await Tasks.GetAsync(id, None))!;
        Assert.That((task.State, task.Result), Is.EqualTo((TaskState.Succeeded, "5")));
        Assert.That(_held.Ids, Is.Empty);
    }

    [Test]
    public async Task AMessageOnAnotherWorkersQueue_IsDeadLettered_AndTheTaskWaitsForItsOwnWorker()
    {
        await Workers.AddAsync("files", 1, "", None);
        var id = await Tasks.InsertAsync(NewTask(worker: "files"), None);

        var admission = await NewProcessor(Options).AdmitAsync(DeliveryOf(id), "default", _shutdown);

        Assert.That((admission.Decision, admission.Claim), Is.EqualTo((AckDecision.DeadLetter, (Carrot.Storage.ClaimedTask?)null)));
        Assert.That((await Tasks.GetAsync(id, None))!.State, Is.EqualTo(TaskState.Queued));
    }

    [Test]
    public async Task AMalformedMessage_IsDeadLettered()
    {
        var admission = await NewProcessor(Options).AdmitAsync(new Delivery(1, "not json"u8.ToArray(), null!), "default", _shutdown);

        Assert.That(admission.Decision, Is.EqualTo(AckDecision.DeadLetter));
    }

    [Test]
    public async Task ARowAskingForATimeoutNoTimerHolds_FailsAsInvalid_NotRetried_AndFreesItsSlot()
    {
        // Written by anyone (not through the validator): 50 days is more than a .NET timer holds.
        var id = await Tasks.InsertAsync(NewTask() with { TimeoutMs = (long)TimeSpan.FromDays(50).TotalMilliseconds }, None);
        var next = await Tasks.InsertAsync(NewTask(), None);
        var processor = NewProcessor(Options);

        await RunAsync(processor, id);
        await RunAsync(processor, next);

        var task = (await Tasks.GetAsync(id, None))!;
        Assert.Multiple(async () =>
        {
            Assert.That((task.State, task.ErrorType), Is.EqualTo((TaskState.Failed, AttemptOutcomes.InvalidTaskType)));
            Assert.That(task.ErrorMessage, Does.Contain("49 days"));
            Assert.That(task.RunAt, Is.Null, "not retried");
            Assert.That((await Tasks.GetAsync(next, None))!.State, Is.EqualTo(TaskState.Succeeded), "the slot went to the next task");
        });
    }

    [Test]
    public async Task CarrotFailingBetweenTheClaimAndTheOutcome_StillRecordsAnOutcome_UnderTheRetryRules()
    {
        // A setting no TimeSpan holds: the executor throws after the task started (the configuration refuses it
        // when read; this checks the pipeline's own guard behind that).
        var broken = new Carrot.Configuration.CarrotOptions { Database = Options.Database, RunawayGraceSeconds = double.MaxValue };
        var id = await Tasks.InsertAsync(NewTask(), None);

        await RunAsync(NewProcessor(broken), id);

        var task = (await Tasks.GetAsync(id, None))!;
        Assert.Multiple(() =>
        {
            Assert.That((task.State, task.ErrorType), Is.EqualTo((TaskState.Scheduled, AttemptOutcomes.InternalErrorType)));
            Assert.That(task.ErrorMessage, Does.Contain("Carrot failed while running the task"));
            Assert.That(_held.Ids, Is.Empty);
        });
    }

    [Test]
    public async Task AShutdownBeforeTheClaim_RequeuesTheMessage_WithoutTouchingTheTask()
    {
        var id = await Tasks.InsertAsync(NewTask(), None);
        _shutdown.AbandonNow();

        var admission = await NewProcessor(Options).AdmitAsync(DeliveryOf(id), "default", _shutdown);

        Assert.That(admission.Decision, Is.EqualTo(AckDecision.Requeue));
        Assert.That((await Tasks.GetAsync(id, None))!.Attempts, Is.Zero);
    }

    private static Delivery DeliveryOf(long id) => new(1, TaskMessage.Encode(id), null!);

    private async Task RunAsync(DeliveryProcessor processor, long id)
    {
        var admission = await processor.AdmitAsync(DeliveryOf(id), "default", _shutdown);
        Assert.That(admission.Decision, Is.EqualTo(AckDecision.Ack));
        await await processor.RunAsync(admission, _shutdown);
    }

    private DeliveryProcessor NewProcessor(Carrot.Configuration.CarrotOptions options)
    {
        var executor = TestExecutors.InProcess(_catalogs, _services, new TaskLogCapture(), new RunawayTasks(Tasks, _logger), options, _logger, Clock);
        return new DeliveryProcessor(Tasks, _writer, executor, new DaemonIdentity(), options, new StoreRetry(_logger), new RunAloneGate(),
            new RetryPolicy(options, Clock, new Random(1)), _held, _logger);
    }
}

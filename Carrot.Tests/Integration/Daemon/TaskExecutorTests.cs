using Carrot.Configuration;
using Carrot.Daemon.Execution;
using Carrot.Tests.Isolation;
using Carrot.Daemon.Logging;
using Carrot.Daemon.Reloading;
using Carrot.Kallables;
using Carrot.Lifecycle;
using Carrot.Storage;
using Carrot.Tests.Integration.Storage;
using Carrot.Tests.Unit;
using Microsoft.Extensions.DependencyInjection;

namespace Carrot.Tests.Integration.Daemon;

/// <summary>How the executor reports each way an attempt ends, running MyLib's real methods.</summary>
[TestFixture]
#pragma warning disable CA1001 // Created and disposed per test by SetUp and TearDown.
public sealed class TaskExecutorTests : StorageTestBase
#pragma warning restore CA1001
{
    private readonly Serilog.ILogger _logger = Serilog.Core.Logger.None;
    private ServiceProvider _services = null!;
    private TaskExecutor _executor = null!;

    [SetUp]
    public void CreateExecutor()
    {
        _services = new ServiceCollection().AddLogging().BuildServiceProvider();
        var catalogs = new KallableCatalogSource(KallableCatalog.Load([TestAssets.MyLibDll]), _logger);
        var options = new CarrotOptions { Database = DatabasePath, RunawayGraceSeconds = 0.3 };
        _executor = TestExecutors.InProcess(catalogs, _services, new TaskLogCapture(), new RunawayTasks(Tasks, _logger), options, _logger, TimeProvider.System);
    }

    [TearDown]
    public async Task DisposeServices() => await _services.DisposeAsync();

    [Test]
    public async Task AReturnedValue_IsASuccess_WithItsJson()
    {
        var result = await RunAsync("MyLib.Jobs.Add", "[2, 3]");

        Assert.That((result.End!.Kind, result.End.Result), Is.EqualTo((AttemptEndKind.Succeeded, "5")));
    }

    [Test]
    public async Task AThrownException_IsReportedWithItsTypeAndStack()
    {
        var result = await RunAsync("MyLib.Jobs.Explode", """["why not"]""");

        Assert.Multiple(() =>
        {
            Assert.That(result.End!.Kind, Is.EqualTo(AttemptEndKind.Threw));
            Assert.That(result.End.ErrorType, Is.EqualTo("System.InvalidOperationException"));
            Assert.That(result.End.StackTrace, Does.Contain("MyLib.Jobs.Explode"));
        });
    }

    [Test]
    public async Task AnUnknownKallable_OrArgumentsThatDoNotBind_AreInvalid()
    {
        Assert.That((await RunAsync("MyLib.Jobs.Nope", "[]")).End!.Kind, Is.EqualTo(AttemptEndKind.Invalid));
        Assert.That((await RunAsync("MyLib.Jobs.Add", """["a", 1, 2]""")).End!.Kind, Is.EqualTo(AttemptEndKind.Invalid));
    }

    [Test]
    public async Task ATaskThatStopsAtItsTimeout_TimedOut_AndOneThatIgnoresIt_IsARunaway()
    {
        var stopped = await RunAsync("MyLib.Probe.Sleep", "[10000]", timeout: TimeSpan.FromMilliseconds(200));
        var ignored = await RunAsync("MyLib.Probe.Sleep", "[2000, true]", timeout: TimeSpan.FromMilliseconds(200));

        Assert.That(stopped.End!.Kind, Is.EqualTo(AttemptEndKind.TimedOut));
        Assert.That(ignored.End!.Kind, Is.EqualTo(AttemptEndKind.RunawayAfterTimeout));
        Assert.That(ignored.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1.9)), "the executor stopped waiting after the grace, not at the task's end");
    }

    [Test]
    public async Task ACancelRequest_EndsItCancelled_AndAShutdownInterruptsIt()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        using var shutdown = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var cancelled = await RunAsync("MyLib.Probe.Sleep", "[10000]", signals: new TaskSignals(cancel.Token, CancellationToken.None));
        var interrupted = await RunAsync("MyLib.Probe.Sleep", "[10000]", signals: new TaskSignals(CancellationToken.None, shutdown.Token));

        Assert.That(cancelled.End!.Kind, Is.EqualTo(AttemptEndKind.Cancelled));
        Assert.That(interrupted.End, Is.Null, "handed back, not recorded");
    }

    [Test]
    public async Task ATimeoutLongerThanATimerHolds_IsInvalid_NotAnException()
    {
        var result = await RunAsync("MyLib.Jobs.Add", "[2, 3]", timeout: TimeSpan.FromDays(50));

        Assert.That(result.End!.Kind, Is.EqualTo(AttemptEndKind.Invalid));
        Assert.That(result.End.ErrorMessage, Does.Contain("at most 49 days"));
    }

    private Task<ExecutionResult> RunAsync(string kallable, string args, TimeSpan? timeout = null, TaskSignals? signals = null) =>
        _executor.ExecuteAsync(new ClaimedTask(1, kallable, args, "{}", "default", 1, 3, "d-1") { Timeout = timeout },
            signals ?? new TaskSignals(CancellationToken.None, CancellationToken.None));
}

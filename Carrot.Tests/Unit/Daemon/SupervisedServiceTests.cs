using Carrot.Daemon.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Serilog.Events;

namespace Carrot.Tests.Unit.Daemon;

[TestFixture]
public sealed class SupervisedServiceTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Test]
    public async Task ServiceWhoseLoopThrows_IsStartedAgain_AndItsFaultIsLoggedOnce()
    {
        var sink = new CollectingSink();
        var exit = new DaemonExit();
        var service = new FailingService(failures: 2);
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        using var supervised = new SupervisedService<FailingService>(service, ServiceFaultPolicy.Restart, exit, lifetime, sink.Logger());

        await supervised.StartAsync(CancellationToken.None);
        await service.Survived.Task.WaitAsync(Wait);
        await supervised.StopAsync(CancellationToken.None);

        var errors = sink.Events.Where(e => e.Level >= LogEventLevel.Error).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(service.Starts, Is.EqualTo(3), "started, then started again after each of two faults");
            Assert.That(errors, Has.Count.EqualTo(1), "the same fault twice is said once");
            Assert.That(CollectingSink.Render(errors[0]), Does.Contain("FailingService failed unexpectedly, will retry in 1 s").And.Contain("System.InvalidOperationException: broken"));
            Assert.That(errors[0].Exception, Is.Not.Null, "the first report carries the stack trace");
            Assert.That(exit.Code, Is.Zero);
            Assert.That(lifetime.ApplicationStopping.IsCancellationRequested, Is.False);
            Assert.That(service.Stopped, Is.True);
        });
    }

    [Test]
    public async Task ServiceTheDaemonCannotDoWithout_StopsTheDaemon_WithExitOne()
    {
        var sink = new CollectingSink();
        var exit = new DaemonExit();
        var service = new FailingService(failures: int.MaxValue);
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        using var supervised = new SupervisedService<FailingService>(service, ServiceFaultPolicy.StopDaemon, exit, lifetime, sink.Logger());
        var stopping = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStopping.Register(stopping.SetResult);

        await supervised.StartAsync(CancellationToken.None);
        await stopping.Task.WaitAsync(Wait);
        await supervised.StopAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(exit.Code, Is.EqualTo(1));
            Assert.That(service.Starts, Is.EqualTo(1), "not started again");
            Assert.That(sink.Lines(LogEventLevel.Fatal), Has.Count.EqualTo(1));
            Assert.That(sink.Lines(LogEventLevel.Fatal)[0], Does.Contain("FailingService failed").And.Contain("carrotd stops (exit 1)"));
        });
    }

    /// <summary>A hosted service whose loop throws the first <c>failures</c> times it runs, then runs until stopped.</summary>
    private sealed class FailingService(int failures) : BackgroundService
    {
        private int _starts;

        public int Starts => _starts;

        public bool Stopped { get; private set; }

        public TaskCompletionSource Survived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task StopAsync(CancellationToken cancellationToken)
        {
            await base.StopAsync(cancellationToken);
            Stopped = true;
        }

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            if (Interlocked.Increment(ref _starts) <= failures)
            {
                throw new InvalidOperationException("broken");
            }

            Survived.TrySetResult();
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
    }
}

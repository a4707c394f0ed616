using Carrot.Daemon.Maintenance;
using Carrot.Errors;
using Serilog.Events;

namespace Carrot.Tests.Unit.Daemon;

[TestFixture]
public sealed class MaintenanceLoopTests
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(10);

    [Test]
    public async Task StepThatKeepsFailingTheSameWay_IsLoggedOnce_ThenOnceMoreWhenItWorksAgain()
    {
        var sink = new CollectingSink();
        var calls = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await new MaintenanceLoop("Pruning", sink.Logger(), TimeProvider.System).RunAsync(_ =>
        {
            if (++calls <= 4)
            {
                throw new CarrotStoreException("The database is locked.");
            }

            stop.Cancel();
            return Task.CompletedTask;
        }, Period, stop.Token);

        Assert.Multiple(() =>
        {
            Assert.That(calls, Is.EqualTo(5));
            Assert.That(sink.Lines(LogEventLevel.Warning), Is.EqualTo((string[])["Pruning failed, will retry in 0 s: The database is locked."]));
            Assert.That(sink.Lines(LogEventLevel.Information), Is.EqualTo((string[])["Pruning works again after 4 failed attempt(s)"]));
            Assert.That(sink.Events.Where(e => e.Exception is not null), Is.Empty, "an expected error never carries a trace");
        });
    }

    [Test]
    public async Task UnexpectedErrors_AreLoggedOncePerProblem_WithTheStackTraceOnlyTheFirstTime()
    {
        var sink = new CollectingSink();
        var errors = new Queue<Exception>([new InvalidOperationException("a"), new InvalidOperationException("a"), new FormatException("b"), new InvalidOperationException("a")]);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await new MaintenanceLoop("Heartbeat", sink.Logger(), TimeProvider.System).RunAsync(_ =>
        {
            if (errors.TryDequeue(out var error))
            {
                throw error;
            }

            stop.Cancel();
            return Task.CompletedTask;
        }, Period, stop.Token);

        var logged = sink.Events.Where(e => e.Level == LogEventLevel.Error).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(logged.Select(CollectingSink.Render), Is.EqualTo((string[])[
                "Heartbeat failed unexpectedly, will retry in 0 s: System.InvalidOperationException: a",
                "Heartbeat failed unexpectedly, will retry in 0 s: System.FormatException: b",
                "Heartbeat failed unexpectedly, will retry in 0.1 s: System.InvalidOperationException: a",
            ]));
            Assert.That(logged.Select(e => e.Exception is not null), Is.EqualTo((bool[])[true, false, false]));
        });
    }

    [Test]
    public async Task Stopping_EndsTheLoop_WithoutAnError()
    {
        var sink = new CollectingSink();
        using var stop = new CancellationTokenSource();

        await new MaintenanceLoop("Cancel watch", sink.Logger(), TimeProvider.System).RunAsync(async token =>
        {
            await stop.CancelAsync();
            await Task.Delay(Timeout.Infinite, token);
        }, Period, stop.Token);

        Assert.That(sink.Events, Is.Empty);
    }
}

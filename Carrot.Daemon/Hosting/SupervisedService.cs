using Microsoft.Extensions.Hosting;

namespace Carrot.Daemon.Hosting;

/// <summary>
/// Runs a hosted service so that an exception escaping its loop never aborts carrotd. The generic host would stop
/// itself and rethrow from <c>RunAsync</c> (BackgroundServiceExceptionBehavior.StopHost: the trace logged twice,
/// then the process aborted with exit 134), which under systemd becomes a restart loop while the cause persists.
/// Instead the fault is logged once and, by <see cref="ServiceFaultPolicy"/>, the loop starts again after a pause
/// or the daemon stops in order with a non-zero exit. The wrapped service is not itself registered as a hosted
/// service, so the host never watches it.
/// </summary>
internal sealed class SupervisedService<TService>(
    TService service,
    ServiceFaultPolicy policy,
    DaemonExit exit,
    IHostApplicationLifetime lifetime,
    Serilog.ILogger logger) : IHostedService, IDisposable
    where TService : BackgroundService
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestPause = TimeSpan.FromMinutes(1);

    private readonly CancellationTokenSource _stopping = new();
    private readonly FaultLog _faults = new(logger.ForContext<TService>(), typeof(TService).Name);
    private Task _watch = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await service.StartAsync(cancellationToken);
        _watch = WatchAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _watch;
        await service.StopAsync(cancellationToken);
    }

    public void Dispose() => _stopping.Dispose();

    private async Task WatchAsync(CancellationToken stopping)
    {
        var pause = FirstPause;
        while (service.ExecuteTask is { } loop)
        {
            if (_faults.IsFailing)
            {
                // Restarted after a fault: a loop still running a minute later counts as recovered.
                await Task.WhenAny(loop, Task.Delay(LongestPause, stopping));
                if (!loop.IsCompleted && !stopping.IsCancellationRequested)
                {
                    _faults.Succeeded();
                    pause = FirstPause;
                }
            }

            await Task.WhenAny(loop, Task.Delay(Timeout.Infinite, stopping));
            if (stopping.IsCancellationRequested || !loop.IsFaulted)
            {
                return;
            }

            var error = loop.Exception!.InnerExceptions.Count == 1 ? loop.Exception.InnerException! : loop.Exception;
            if (policy == ServiceFaultPolicy.StopDaemon)
            {
                _faults.Fatal(error, "carrotd stops (exit 1) so that a fresh one can start");
                exit.Fail();
                lifetime.StopApplication();
                return;
            }

            // A loop that fails again at once waits longer each time.
            _faults.Failed(error, pause);
            try
            {
                await Task.Delay(pause, stopping);
                await service.StartAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }

            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
        }
    }
}

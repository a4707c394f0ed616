using Carrot.Daemon.Consuming;
using Carrot.Daemon.Hosting;
using Carrot.Errors;
using Carrot.Storage;
using Microsoft.Extensions.Hosting;

namespace Carrot.Daemon.Maintenance;

/// <summary>
/// 'carrot tasks cancel' marks a running task in the database; this notices it for the tasks this daemon runs and
/// fires their tokens. Polling keeps the CLI free of any channel to the daemon, whichever daemon runs the task.
/// </summary>
internal sealed class CancelWatchService(TaskStore tasks, DeliveryProcessor processor, DaemonIdentity identity, Serilog.ILogger logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private readonly Serilog.ILogger _logger = logger.ForContext<CancelWatchService>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.TickAsync(stoppingToken))
        {
            if (processor.RunningCount == 0)
            {
                continue;
            }

            try
            {
                foreach (var id in await tasks.ListCancelRequestedAsync(identity.Id, stoppingToken))
                {
                    processor.RequestCancel(id);
                }
            }
            catch (CarrotStoreException e)
            {
                _logger.Debug("Could not check for cancel requests: {Reason}", e.Message);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

using Carrot.Daemon.Consuming;
using Carrot.Daemon.Hosting;
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

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        new MaintenanceLoop("Watching for cancel requests", _logger, TimeProvider.System).RunAsync(async token =>
        {
            if (processor.RunningCount == 0)
            {
                return;
            }

            foreach (var id in await tasks.ListCancelRequestedAsync(identity.Id, token))
            {
                processor.RequestCancel(id);
            }
        }, Interval, stoppingToken, runAtOnce: false, longestPause: TimeSpan.FromSeconds(5));
}

using Carrot.Daemon.Consuming;
using Carrot.Daemon.Hosting;
using Carrot.Storage;
using Microsoft.Extensions.Hosting;

namespace Carrot.Daemon.Maintenance;

/// <summary>
/// 'carrot tasks cancel' marks a running task in the database; this notices it for the tasks this daemon runs and
/// fires their tokens. The database is the only channel, whichever daemon runs the task: on PostgreSQL the request is
/// announced (NOTIFY) and this looks at once, polling every few seconds only in case a notification was lost; on
/// SQLite it polls twice a second.
/// </summary>
internal sealed class CancelWatchService(TaskStore tasks, DeliveryProcessor processor, DaemonIdentity identity, StoreEngine engine, StoreChanges changes, Serilog.ILogger logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private static readonly TimeSpan NotifiedInterval = TimeSpan.FromSeconds(5);

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
        }, engine.NotifiesChanges ? NotifiedInterval : Interval, stoppingToken, runAtOnce: false, longestPause: TimeSpan.FromSeconds(5), wakeUp: changes.CancelRequests);
}

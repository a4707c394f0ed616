using Carrot.Daemon.Maintenance;
using Carrot.Storage;
using Microsoft.Extensions.Hosting;

namespace Carrot.Daemon.Telemetry;

/// <summary>Reads the queue depth, running and relay counts every few seconds into the gauges' snapshot.</summary>
internal sealed class GaugeRefreshService(TaskStore tasks, TaskGaugeSnapshot snapshot, Serilog.ILogger logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                snapshot.Update(await tasks.CountByWorkerAndStateAsync(stoppingToken), await tasks.CountUnpublishedAsync(stoppingToken));
            }
            catch (Errors.CarrotStoreException e)
            {
                // The gauges keep their last values; the next round tries again.
                logger.Debug("Could not read the counts for the metrics gauges: {Reason}", e.Message);
            }
        }
        while (await timer.TickAsync(stoppingToken));
    }
}

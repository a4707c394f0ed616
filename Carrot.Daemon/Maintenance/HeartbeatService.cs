using Carrot.Configuration;
using Carrot.Daemon.Consuming;
using Carrot.Daemon.Execution;
using Carrot.Daemon.Hosting;
using Carrot.Diagnostics.Telemetry;
using Carrot.Errors;
using Carrot.Storage;
using Microsoft.Extensions.Hosting;

namespace Carrot.Daemon.Maintenance;

/// <summary>
/// Every few seconds: record that this daemon is alive and renew the leases of its running tasks (one short
/// write, which also lists this daemon's runaway tasks), then rescue the tasks of daemons whose leases ran out. Registered first, so it stops last: the
/// daemon's row is marked stopped only after its tasks are finished or handed back.
/// </summary>
internal sealed class HeartbeatService(StoreEngine engine, DaemonStore daemons, TaskStore tasks, DaemonIdentity identity, HeldTasks held, RunawayTasks runaways, CarrotOptions options, TimeProvider clock, Serilog.ILogger logger) : BackgroundService
{
    private readonly Serilog.ILogger _logger = logger.ForContext<HeartbeatService>();

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await daemons.MarkStoppedAsync(identity.Id, cancellationToken);
        }
        catch (CarrotStoreException e)
        {
            _logger.Warning("Could not mark this daemon stopped: {Reason}", e.Message);
        }

        _logger.Information("carrotd {DaemonId} stopped", identity.Id);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lease = TimeSpan.FromSeconds(options.LeaseSeconds);
        var period = TimeSpan.FromSeconds(options.HeartbeatSeconds);
        var guard = new LeaseRescueGuard(period, clock);

        // Never slower than the beat after failures: every beat missed brings the leases closer to expiring.
        return new MaintenanceLoop("Heartbeat", _logger, clock).RunAsync(async token =>
        {
            try
            {
                // The database's clock drifts from this host's: measured again before the leases are renewed with it.
                await engine.SyncClockAsync(token);
                await daemons.HeartbeatAsync(identity.Id, lease, held.Ids, runaways.Ids, token);
            }
            catch
            {
                guard.BeatFailed();
                throw;
            }

            guard.BeatSucceeded();
            var rescued = guard.MayRescue ? await tasks.RescueExpiredAsync(token) : default;
            CarrotMetrics.Rescued(rescued, "lease_expired");
            if (rescued.Total > 0)
            {
                _logger.Warning("Rescued {Count} task(s) whose daemon stopped heartbeating: {Requeued} queued again, {Ended} ended (no attempt left, or a cancel asked for)", rescued.Total, rescued.Requeued, rescued.Ended);
            }
        }, period, stoppingToken, longestPause: period);
    }
}

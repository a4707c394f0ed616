using Carrot.Storage;
using Microsoft.Extensions.Hosting;

namespace Carrot.Daemon.Maintenance;

/// <summary>
/// Listens for what the store announces (PostgreSQL: LISTEN carrot_cancel, carrot_workers) and wakes the cancel watch
/// and the worker supervisor at once; on SQLite there is nothing to hear and they keep polling. A broken listening
/// connection is opened again by the loop, and everything is raised then, since a notification may have been lost.
/// </summary>
internal sealed class ChangeListenerService(StoreEngine engine, StoreChanges changes, Serilog.ILogger logger) : BackgroundService
{
    private readonly Serilog.ILogger _logger = logger.ForContext<ChangeListenerService>();

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        new MaintenanceLoop("Listening for cancel requests and worker changes", _logger, TimeProvider.System)
            .RunAsync(token => engine.ListenAsync(changes, token), TimeSpan.FromSeconds(1), stoppingToken, longestPause: TimeSpan.FromSeconds(10));
}

using System.Runtime.InteropServices;
using System.Threading.Channels;
using Carrot.Configuration;
using Carrot.Daemon.Hosting;
using Carrot.Errors;
using Carrot.Kallables;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;

namespace Carrot.Daemon.Reloading;

/// <summary>
/// SIGHUP (<c>systemctl reload carrotd</c>) re-reads the configuration file and the task assemblies. New tasks use
/// the new catalogue at once; running tasks finish on the code they started with. A configuration or assembly
/// that does not load (or cannot be read at all) is logged and the old configuration and catalogue stay. Settings other than <c>taskAssemblies</c> need a
/// restart, and the log says so when they changed.
/// </summary>
internal sealed class ReloadService(
    KallableCatalogSource catalogs,
    ReloadSettings settings,
    Serilog.ILogger logger,
    ISystemdNotifier? notifier = null) : BackgroundService
{
    // Signals only ring the bell; reloads run one at a time on the service's own loop, and a burst of SIGHUPs
    // while one runs collapses into one more reload.
    private readonly Channel<bool> _requests = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private CarrotOptions _options = settings.StartOptions;

    /// <summary>Asks for a reload, as SIGHUP does.</summary>
    public void Request() => _requests.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Without a handler SIGHUP would end the process; Cancel keeps it alive.
        using var registration = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            Request();
        });

        try
        {
            await foreach (var _ in _requests.Reader.ReadAllAsync(stoppingToken))
            {
                Reload();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private void Reload()
    {
        notifier?.Notify(new ServiceState("RELOADING=1"));
        try
        {
            logger.Information("Reloading the configuration and task assemblies (SIGHUP)");
            var options = CarrotConfiguration.Load(settings.ConfigPath);
            foreach (var setting in RestartOnlySettings.Changed(_options, options))
            {
                logger.Warning("\"{Setting}\" changed in the configuration; it takes effect only when carrotd restarts", setting);
            }

            var previous = catalogs.Current;
            var next = KallableCatalog.Load(options.TaskAssemblies, previous);
            var changes = CatalogChanges.Between(previous, next);
            catalogs.Replace(next);
            _options = options;
            logger.Information("Reloaded: {Summary}", changes.Summary());
            foreach (var line in changes.Details())
            {
                logger.Information("  {Change}", line);
            }
        }
        catch (Exception e) when (e is CarrotConfigurationException or CarrotInputException)
        {
            logger.Error("Reload failed, still running the previous configuration and task assemblies: {Reason}", e.Message);
        }
        catch (Exception e)
        {
            // Whatever else a reload meets, the daemon keeps what it had: a reload must never stop it.
            logger.Error("Reload failed, still running the previous configuration and task assemblies: {Reason}", FaultLog.Reason(e));
        }
        finally
        {
            notifier?.Notify(ServiceState.Ready);
        }
    }
}

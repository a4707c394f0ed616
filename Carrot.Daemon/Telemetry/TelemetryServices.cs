using Carrot.Configuration;
using Carrot.Daemon.Hosting;
using Carrot.Diagnostics.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace Carrot.Daemon.Telemetry;

/// <summary>
/// The daemon's metrics plumbing: the gauges' snapshot and its refresh, and <c>/metrics</c> — on the monitor's listener
/// when the monitor is on, and on its own (<c>"metrics": {"listen"}</c>) when that is set.
/// </summary>
internal static class TelemetryServices
{
    /// <summary>
    /// The <c>/metrics</c> handler when anything serves it (its own listener, or the monitor's), else null. Made before
    /// the daemon counts anything: a meter listener sees only what is recorded after it starts, and carrotd's start-up
    /// already counts (the rescue of a dead daemon's tasks).
    /// </summary>
    /// <param name="servedByMonitor">The web monitor is on: it serves /metrics on its listener, with its authentication.</param>
    public static MetricsEndpoint? CreateMetricsEndpoint(CarrotOptions options, bool servedByMonitor) =>
        MetricsListenAddress.From(options.Metrics) is not null || servedByMonitor ? new MetricsEndpoint(options.Metrics.Token) : null;

    /// <param name="metrics">From <see cref="CreateMetricsEndpoint"/>; its caller disposes it.</param>
    public static IServiceCollection AddDaemonTelemetry(this IServiceCollection services, CarrotOptions options, MetricsEndpoint? metrics)
    {
        services.AddSingleton(_ =>
        {
            var snapshot = new TaskGaugeSnapshot();
            CarrotMetrics.ObserveGauges(snapshot);
            return snapshot;
        });
        services.AddSupervised<GaugeRefreshService>(ServiceFaultPolicy.Restart);
        var address = MetricsListenAddress.From(options.Metrics);
        if (metrics is not null)
        {
            services.AddSingleton(metrics);
        }

        if (address is not null)
        {
            services.AddSingleton(address);
            services.AddSupervised<MetricsListenerService>(ServiceFaultPolicy.Restart);
        }

        return services;
    }
}

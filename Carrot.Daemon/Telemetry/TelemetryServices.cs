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
    /// <param name="servedByMonitor">The web monitor is on: it serves /metrics on its listener, with its authentication.</param>
    public static IServiceCollection AddDaemonTelemetry(this IServiceCollection services, CarrotOptions options, bool servedByMonitor)
    {
        services.AddSingleton(_ =>
        {
            var snapshot = new TaskGaugeSnapshot();
            CarrotMetrics.ObserveGauges(snapshot);
            return snapshot;
        });
        services.AddSupervised<GaugeRefreshService>(ServiceFaultPolicy.Restart);
        var address = MetricsListenAddress.From(options.Metrics);
        if (address is not null || servedByMonitor)
        {
            services.AddSingleton(_ => new MetricsEndpoint(options.Metrics.Token));
        }

        if (address is not null)
        {
            services.AddSingleton(address);
            services.AddSupervised<MetricsListenerService>(ServiceFaultPolicy.Restart);
        }

        return services;
    }
}

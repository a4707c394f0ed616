using Carrot.Configuration;
using Carrot.Daemon.Hosting;
using Carrot.Diagnostics.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace Carrot.Daemon.Telemetry;

/// <summary>The daemon's metrics plumbing: the gauges' snapshot and its refresh, and <c>/metrics</c> when configured.</summary>
internal static class TelemetryServices
{
    public static IServiceCollection AddDaemonTelemetry(this IServiceCollection services, CarrotOptions options)
    {
        services.AddSingleton(_ =>
        {
            var snapshot = new TaskGaugeSnapshot();
            CarrotMetrics.ObserveGauges(snapshot);
            return snapshot;
        });
        services.AddSupervised<GaugeRefreshService>(ServiceFaultPolicy.Restart);
        if (MetricsListenAddress.From(options.Metrics) is { } address)
        {
            services.AddSingleton(address);
            services.AddSingleton(_ => new MetricsEndpoint(options.Metrics.Token));
            services.AddSupervised<MetricsListenerService>(ServiceFaultPolicy.Restart);
        }

        return services;
    }
}

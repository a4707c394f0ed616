using Carrot.Client;
using Carrot.Monitor.Data;
using Carrot.Monitor.Endpoints;
using Carrot.Monitor.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Carrot.Monitor;

/// <summary>Mounts Carrot's web monitor in an ASP.NET Core application.</summary>
public static class CarrotMonitorEndpointExtensions
{
    /// <summary>
    /// Maps the monitor's pages and JSON API under <paramref name="prefix"/>. The application's services must hold a
    /// <see cref="CarrotClient"/> (<c>services.AddCarrot(…)</c>). Returns the route group, so the application can put
    /// its own authorization on it (<c>.RequireAuthorization("ops")</c>).
    /// </summary>
    public static RouteGroupBuilder MapCarrotMonitor(this IEndpointRouteBuilder endpoints, string prefix = "/carrot", Action<CarrotMonitorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = new CarrotMonitorOptions();
        configure?.Invoke(options);
        var services = endpoints.ServiceProvider;
        var stopping = services.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        var monitor = new MonitorContext(NormalizePrefix(prefix), _ => ValueTask.FromResult(services.GetRequiredService<CarrotClient>()), options, stopping);
        return Map(endpoints, monitor);
    }

    internal static RouteGroupBuilder Map(IEndpointRouteBuilder endpoints, MonitorContext monitor)
    {
        var group = endpoints.MapGroup(monitor.Prefix.Length == 0 ? "/" : monitor.Prefix);
        group.AddEndpointFilter(new MonitorRequestFilter(monitor).InvokeAsync);
        group.WithMetadata(monitor);
        AssetEndpoints.Map(group);
        OverviewEndpoints.Map(group, monitor);
        TaskEndpoints.Map(group, monitor);
        BulkEndpoints.Map(group, monitor);
        WorkerEndpoints.Map(group, monitor);
        ScheduleEndpoints.Map(group, monitor);
        return group;
    }

    private static string NormalizePrefix(string prefix)
    {
        var trimmed = (prefix ?? "").Trim().TrimEnd('/');
        return trimmed.Length == 0 ? "" : trimmed.StartsWith('/') ? trimmed : "/" + trimmed;
    }
}

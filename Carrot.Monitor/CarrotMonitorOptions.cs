using Microsoft.AspNetCore.Http;

namespace Carrot.Monitor;

/// <summary>How a mounted monitor behaves (<see cref="CarrotMonitorEndpointExtensions.MapCarrotMonitor"/>).</summary>
public sealed class CarrotMonitorOptions
{
    /// <summary>
    /// Whether the request may act (retry, cancel, delete, change workers and schedules); null: every request that
    /// reaches the monitor may. Reading is decided by the application's own authorization on the route group.
    /// </summary>
    public Func<HttpContext, bool>? CanAct { get; set; }
}

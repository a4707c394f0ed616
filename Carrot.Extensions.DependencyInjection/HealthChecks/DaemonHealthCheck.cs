using Carrot.Client;
using Carrot.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Carrot.HealthChecks;

/// <summary>At least one carrotd is alive: its heartbeat is recent, by the same rule as <c>carrot status</c>.</summary>
internal sealed class DaemonHealthCheck(CarrotClientProvider carrot) : CarrotHealthCheck(carrot)
{
    protected override async Task<HealthCheckResult> CheckAsync(CarrotClient client, HealthStatus failure, CancellationToken cancellationToken)
    {
        var daemons = (await client.GetStatusAsync(cancellationToken)).Daemons;
        return daemons.Count > 0
            ? HealthCheckResult.Healthy($"{daemons.Count} carrotd alive: {string.Join(", ", daemons.Select(d => $"{d.Host}:{d.Pid}"))}.")
            : new HealthCheckResult(failure, "No carrotd is alive on this database: tasks are saved, but nothing runs them. Start it: systemctl start carrotd.");
    }
}

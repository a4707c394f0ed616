using Carrot.DependencyInjection;
using Carrot.Errors;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Carrot.HealthChecks;

/// <summary>At least one carrotd is alive: its heartbeat is recent, by the same rule as <c>carrot status</c>.</summary>
internal sealed class DaemonHealthCheck(CarrotClientProvider carrot) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var client = await carrot.GetClientAsync(cancellationToken);
            var daemons = (await client.GetStatusAsync(cancellationToken)).Daemons;
            return daemons.Count > 0
                ? HealthCheckResult.Healthy($"{daemons.Count} carrotd alive: {string.Join(", ", daemons.Select(d => $"{d.Host}:{d.Pid}"))}.")
                : new HealthCheckResult(context.Registration.FailureStatus, "No carrotd is alive on this database: tasks are saved, but nothing runs them. Start it: systemctl start carrotd.");
        }
        catch (CarrotStoreException e)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"Not checked: the database cannot be read. {e.Message}");
        }
    }
}

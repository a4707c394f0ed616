using Carrot.DependencyInjection;
using Carrot.Errors;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Carrot.HealthChecks;

/// <summary>The database opens (the client's start-up) and answers a read of the workers table.</summary>
internal sealed class DatabaseHealthCheck(CarrotClientProvider carrot) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var client = await carrot.GetClientAsync(cancellationToken);
            var workers = await client.ListWorkersAsync(cancellationToken);
            return HealthCheckResult.Healthy($"{carrot.Options.Database} answers ({workers.Count} worker(s)).");
        }
        catch (CarrotStoreException e)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, e.Message);
        }
    }
}

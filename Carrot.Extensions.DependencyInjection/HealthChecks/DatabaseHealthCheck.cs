using Carrot.Client;
using Carrot.DependencyInjection;
using Carrot.Errors;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Carrot.HealthChecks;

/// <summary>The database opens (the client's start-up) and answers a read of the workers table.</summary>
internal sealed class DatabaseHealthCheck(CarrotClientProvider carrot) : CarrotHealthCheck(carrot)
{
    protected override async Task<HealthCheckResult> CheckAsync(CarrotClient client, HealthStatus failure, CancellationToken cancellationToken)
    {
        var workers = await client.ListWorkersAsync(cancellationToken);
        return HealthCheckResult.Healthy($"{client.DatabaseDisplay} answers ({workers.Count} worker(s)).");
    }

    protected override string DescribeUnreadableDatabase(CarrotStoreException error) => error.Message;
}

using Carrot.Client;
using Carrot.Configuration;
using Carrot.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Carrot.HealthChecks;

/// <summary>RabbitMQ accepts a connection: asked the way <c>carrot status</c> asks it, which also reads queue depths.</summary>
internal sealed class BrokerHealthCheck(CarrotClientProvider carrot) : CarrotHealthCheck(carrot)
{
    protected override async Task<HealthCheckResult> CheckAsync(CarrotClient client, HealthStatus failure, CancellationToken cancellationToken) =>
        (await client.GetStatusAsync(cancellationToken)).BrokerError is { } error
            ? new HealthCheckResult(failure, error)
            : HealthCheckResult.Healthy($"RabbitMQ answers at {BrokerAddressList.Parse(Carrot.Options.Broker).Redacted}.");
}

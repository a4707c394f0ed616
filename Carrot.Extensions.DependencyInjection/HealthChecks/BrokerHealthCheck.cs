using Carrot.Configuration;
using Carrot.DependencyInjection;
using Carrot.Errors;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Carrot.HealthChecks;

/// <summary>RabbitMQ accepts a connection: asked the way <c>carrot status</c> asks it, which also reads queue depths.</summary>
internal sealed class BrokerHealthCheck(CarrotClientProvider carrot) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var client = await carrot.GetClientAsync(cancellationToken);
            var status = await client.GetStatusAsync(cancellationToken);
            return status.BrokerError is { } error
                ? new HealthCheckResult(context.Registration.FailureStatus, error)
                : HealthCheckResult.Healthy($"RabbitMQ answers at {BrokerAddress.Parse(carrot.Options.Broker).Redacted}.");
        }
        catch (CarrotStoreException e)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"Not checked: the database cannot be read. {e.Message}");
        }
    }
}

using Carrot.Client;
using Carrot.DependencyInjection;
using Carrot.Errors;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Carrot.HealthChecks;

/// <summary>
/// What Carrot's checks share: the application's client (started once, see <see cref="CarrotClientProvider"/>), and a
/// database that cannot be read reported as the registration's failure status with its one-line reason.
/// </summary>
internal abstract class CarrotHealthCheck(CarrotClientProvider carrot) : IHealthCheck
{
    protected CarrotClientProvider Carrot => carrot;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var failure = context.Registration.FailureStatus;
        try
        {
            return await CheckAsync(await carrot.GetClientAsync(cancellationToken), failure, cancellationToken);
        }
        catch (CarrotStoreException e)
        {
            return new HealthCheckResult(failure, DescribeUnreadableDatabase(e));
        }
    }

    protected abstract Task<HealthCheckResult> CheckAsync(CarrotClient client, HealthStatus failure, CancellationToken cancellationToken);

    protected virtual string DescribeUnreadableDatabase(CarrotStoreException error) => $"Not checked: the database cannot be read. {error.Message}";
}

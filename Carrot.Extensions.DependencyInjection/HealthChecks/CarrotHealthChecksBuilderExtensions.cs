using Carrot.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Health checks for an application that enqueues with Carrot (registered with <c>AddCarrot</c>):
/// <c>services.AddHealthChecks().AddCarrotHealthChecks()</c>, then e.g. <c>app.MapHealthChecks("/health")</c>.
/// </summary>
public static class CarrotHealthChecksBuilderExtensions
{
    /// <summary>The database, broker and daemon checks together, named <c>carrot-database</c>, <c>carrot-broker</c> and <c>carrot-daemon</c>.</summary>
    /// <param name="builder">From <c>services.AddHealthChecks()</c>.</param>
    /// <param name="failureStatus">What a failed check reports; null: <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags for all three, e.g. to map them on a readiness endpoint only.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static IHealthChecksBuilder AddCarrotHealthChecks(this IHealthChecksBuilder builder, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null) =>
        builder
            .AddCarrotDatabaseHealthCheck(failureStatus: failureStatus, tags: tags)
            .AddCarrotBrokerHealthCheck(failureStatus: failureStatus, tags: tags)
            .AddCarrotDaemonHealthCheck(failureStatus: failureStatus, tags: tags);

    /// <summary>Healthy when the SQLite database opens and answers a read.</summary>
    /// <param name="builder">From <c>services.AddHealthChecks()</c>.</param>
    /// <param name="name">The check's name in the report.</param>
    /// <param name="failureStatus">What a failure reports; null: <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">The check's tags.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static IHealthChecksBuilder AddCarrotDatabaseHealthCheck(this IHealthChecksBuilder builder, string name = "carrot-database", HealthStatus? failureStatus = null, IEnumerable<string>? tags = null) =>
        builder.AddCheck<DatabaseHealthCheck>(name, failureStatus, tags ?? []);

    /// <summary>
    /// Healthy when RabbitMQ accepts a connection with the configured URI. While it does not, enqueued tasks are
    /// still saved, and a running carrotd publishes them once the broker is back.
    /// </summary>
    /// <param name="builder">From <c>services.AddHealthChecks()</c>.</param>
    /// <param name="name">The check's name in the report.</param>
    /// <param name="failureStatus">What a failure reports; null: <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">The check's tags.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static IHealthChecksBuilder AddCarrotBrokerHealthCheck(this IHealthChecksBuilder builder, string name = "carrot-broker", HealthStatus? failureStatus = null, IEnumerable<string>? tags = null) =>
        builder.AddCheck<BrokerHealthCheck>(name, failureStatus, tags ?? []);

    /// <summary>
    /// Healthy when at least one carrotd on this database has a recent heartbeat (as <c>carrot status</c> counts
    /// them): without one, tasks are accepted but nothing runs them. Pass <see cref="HealthStatus.Degraded"/> as
    /// <paramref name="failureStatus"/> if the application should stay ready without a daemon.
    /// </summary>
    /// <param name="builder">From <c>services.AddHealthChecks()</c>.</param>
    /// <param name="name">The check's name in the report.</param>
    /// <param name="failureStatus">What a failure reports; null: <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">The check's tags.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static IHealthChecksBuilder AddCarrotDaemonHealthCheck(this IHealthChecksBuilder builder, string name = "carrot-daemon", HealthStatus? failureStatus = null, IEnumerable<string>? tags = null) =>
        builder.AddCheck<DaemonHealthCheck>(name, failureStatus, tags ?? []);
}

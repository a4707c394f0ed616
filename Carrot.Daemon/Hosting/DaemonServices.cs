using Carrot.Configuration;
using Carrot.Daemon.Consuming;
using Carrot.Daemon.Execution;
using Carrot.Daemon.Logging;
using Carrot.Daemon.Maintenance;
using Carrot.Daemon.Reloading;
using Carrot.Messaging;
using Carrot.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Carrot.Daemon.Hosting;

/// <summary>The daemon's object graph. Hosted services stop in reverse order: consumers first, the heartbeat last.</summary>
internal static class DaemonServices
{
    public static IServiceCollection AddCarrotDaemon(this IServiceCollection services, CarrotOptions options, KallableCatalogSource catalogs, ReloadSettings reload, TaskLogCapture capture, DaemonIdentity identity, Serilog.ILogger logger)
    {
        services.AddSingleton(options);
        services.AddSingleton(catalogs);
        services.AddSingleton(reload);
        services.AddSingleton(capture);
        services.AddSingleton(identity);
        services.AddSingleton(logger);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<SqliteConnectionFactory>();
        services.AddSingleton<CarrotDatabase>();
        services.AddSingleton<TaskStore>();
        services.AddSingleton<WorkerStore>();
        services.AddSingleton<ScheduleStore>();
        services.AddSingleton<DaemonStore>();
        services.AddSingleton<BrokerConnector>();
        services.AddSingleton(sp => new TaskPublisher(sp.GetRequiredService<BrokerConnector>(), $"carrotd-relay:{identity.Node}"));
        services.AddSingleton<StoreRetry>();
        services.AddSingleton<GroupCommitWriter>();
        services.AddSingleton<TaskExecutor>();
        services.AddSingleton<RunAloneGate>();
        services.AddSingleton<RunawayTasks>();
        services.AddSingleton<HeldTasks>();
        services.AddSingleton(sp => new RetryPolicy(options, sp.GetRequiredService<TimeProvider>(), Random.Shared));
        services.AddSingleton<DeliveryProcessor>();

        services.AddHostedService<HeartbeatService>();
        services.AddHostedService<RelayService>();
        services.AddHostedService<ReconcileService>();
        services.AddHostedService<SchedulerService>();
        services.AddHostedService<RetentionService>();
        services.AddHostedService<CancelWatchService>();
        services.AddHostedService<WorkerSupervisor>();
        services.AddHostedService<ReloadService>();
        return services;
    }
}

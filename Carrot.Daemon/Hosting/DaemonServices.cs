using Carrot.Configuration;
using Carrot.Daemon.Consuming;
using Carrot.Daemon.Execution;
using Carrot.Daemon.Isolation;
using Carrot.Daemon.Logging;
using Carrot.Daemon.Maintenance;
using Carrot.Daemon.Reloading;
using Carrot.Daemon.Telemetry;
using Carrot.Messaging;
using Carrot.Monitor.Hosting;
using Carrot.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Carrot.Daemon.Hosting;

/// <summary>The daemon's object graph. Hosted services stop in reverse order: consumers first, the heartbeat last.</summary>
internal static class DaemonServices
{
    public static IServiceCollection AddCarrotDaemon(this IServiceCollection services, CarrotOptions options, StoreEngine engine, KallableCatalogSource catalogs, ReloadSettings reload, TaskLogCapture capture, DaemonIdentity identity, DaemonExit exit, Serilog.ILogger logger, MonitorSettings? monitor, MetricsEndpoint? metrics)
    {
        services.AddSingleton(exit);
        services.AddSingleton(options);
        services.AddSingleton(catalogs);
        services.AddSingleton(reload);
        services.AddSingleton(capture);
        services.AddSingleton(identity);
        services.AddSingleton(logger);
        // The database's clock: with several hosts, leases and due times are compared on one clock.
        services.AddSingleton(engine.Clock);
        services.AddSingleton(engine);
        services.AddSingleton<CarrotDatabase>();
        services.AddSingleton<StoreChanges>();
        services.AddSingleton<TaskStore>();
        services.AddSingleton<WorkerStore>();
        services.AddSingleton<ScheduleStore>();
        services.AddSingleton<DaemonStore>();
        services.AddSingleton<Carrot.Storage.Monitoring.ThroughputStore>();
        services.AddSingleton<BrokerConnector>();
        services.AddSingleton(sp => new TaskPublisher(sp.GetRequiredService<BrokerConnector>(), $"carrotd-relay:{identity.Node}"));
        services.AddSingleton<StoreRetry>();
        services.AddSingleton<GroupCommitWriter>();
        services.AddSingleton<TaskExecutor>();
        services.AddSingleton<InProcessCodeHost>();
        services.AddSingleton<RunnerCodeHost>();
        services.AddSingleton<RunnerPools>();
        services.AddSingleton<RunnerSpanEmitter>();
        services.AddSingleton<WorkerIsolations>();
        services.AddSingleton<RunAloneGate>();
        services.AddSingleton<RunawayTasks>();
        services.AddSingleton<HeldTasks>();
        services.AddSingleton(sp => new RetryPolicy(options, sp.GetRequiredService<TimeProvider>(), Random.Shared));
        services.AddSingleton<DeliveryProcessor>();

        // Each hosted service runs supervised: an exception escaping one never aborts the process. Maintenance
        // starts again after a pause; without its consumers the daemon is of no use, so it stops (exit 1) instead.
        services.AddSupervised<HeartbeatService>(ServiceFaultPolicy.Restart);
        services.AddSupervised<RelayService>(ServiceFaultPolicy.Restart);
        services.AddSupervised<ReconcileService>(ServiceFaultPolicy.Restart);
        services.AddSupervised<SchedulerService>(ServiceFaultPolicy.Restart);
        services.AddSupervised<RetentionService>(ServiceFaultPolicy.Restart);
        services.AddSupervised<CancelWatchService>(ServiceFaultPolicy.Restart);
        services.AddSupervised<ChangeListenerService>(ServiceFaultPolicy.Restart);
        services.AddSupervised<WorkerSupervisor>(ServiceFaultPolicy.StopDaemon);
        services.AddSupervised<ReloadService>(ServiceFaultPolicy.Restart);
        services.AddSupervised<LiveTaskLogWriter>(ServiceFaultPolicy.Restart);
        // Last, so it stops first: once carrotd is stopping, local carrot calls enqueue by themselves.
        services.AddSupervised<Handoff.HandoffService>(ServiceFaultPolicy.Restart);

        // The web monitor, only when configured ("monitor" in carrot.json; Program checked its settings).
        if (monitor is not null)
        {
            services.AddSingleton(monitor);
            services.AddHostedService<MonitorHostService>();
        }

        services.AddDaemonTelemetry(options, metrics);
        return services;
    }

    internal static void AddSupervised<TService>(this IServiceCollection services, ServiceFaultPolicy policy)
        where TService : BackgroundService
    {
        services.AddSingleton<TService>();
        services.AddHostedService(sp => ActivatorUtilities.CreateInstance<SupervisedService<TService>>(sp, policy));
    }
}

using Carrot.Configuration;
using Carrot.Daemon.Execution;
using Carrot.Daemon.Isolation;
using Carrot.Daemon.Logging;
using Carrot.Daemon.Reloading;

namespace Carrot.Tests.Isolation;

/// <summary>A <see cref="TaskExecutor"/> built by hand, as the daemon's container builds it, for the executor's own tests.</summary>
internal static class TestExecutors
{
    /// <summary>An executor whose workers are all unknown to it, so every task runs in-process.</summary>
    public static TaskExecutor InProcess(KallableCatalogSource catalogs, IServiceProvider services, TaskLogCapture capture, RunawayTasks runaways, CarrotOptions options, Serilog.ILogger logger, TimeProvider clock)
    {
        var isolations = new WorkerIsolations();
        return new TaskExecutor(
            catalogs,
            isolations,
            new InProcessCodeHost(services, capture, runaways, options, logger, clock),
            new RunnerCodeHost(new RunnerPools(options, logger, clock), isolations, catalogs, options, new RunnerSpanEmitter(), logger, clock),
            options,
            clock);
    }
}

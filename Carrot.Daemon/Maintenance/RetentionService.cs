using Carrot.Configuration;
using Carrot.Storage;
using Carrot.Storage.Monitoring;
using Carrot.Tasks;
using Microsoft.Extensions.Hosting;

namespace Carrot.Daemon.Maintenance;

/// <summary>
/// Deletes finished tasks past their retention (succeededRetentionDays, failedRetentionDays,
/// cancelledRetentionDays; 0 keeps them) in small batches, pausing after each four times as long as it took, so
/// pruning a large backlog of old rows holds the write lock at most a fifth of the time and producers and the
/// daemon's own claims keep most of it. Each pass also compacts the monitor's per-minute counts
/// (<see cref="ThroughputStore.CompactAsync"/>: older than two days dropped, ended hours folded), whatever the retention.
/// </summary>
internal sealed class RetentionService(TaskStore tasks, ThroughputStore throughput, CarrotOptions options, TimeProvider clock, Serilog.ILogger logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);
    private const int BatchSize = 500;

    private readonly Serilog.ILogger _logger = logger.ForContext<RetentionService>();

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        new MaintenanceLoop("Pruning old tasks", _logger, clock).RunAsync(PruneAsync, Interval, stoppingToken, longestPause: Interval);

    private async Task PruneAsync(CancellationToken cancellationToken)
    {
        await throughput.CompactAsync(cancellationToken);
        foreach (var (state, days) in new[] { (TaskState.Succeeded, options.SucceededRetentionDays), (TaskState.Failed, options.FailedRetentionDays), (TaskState.Cancelled, options.CancelledRetentionDays) })
        {
            if (days <= 0)
            {
                continue;
            }

            var cutoff = clock.GetUtcNow() - TimeSpan.FromDays(days);
            long pruned = 0;
            int batch;
            do
            {
                var started = clock.GetTimestamp();
                batch = await tasks.PurgeBatchAsync(state, cutoff, BatchSize, cancellationToken);
                pruned += batch;
                var took = clock.GetElapsedTime(started);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(20, took.TotalMilliseconds * 4)), clock, cancellationToken);
            }
            while (batch == BatchSize);

            if (pruned > 0)
            {
                _logger.Information("Pruned {Count} {State} task(s) that finished more than {Days} day(s) ago", pruned, state.ToName(), days);
            }
        }
    }
}

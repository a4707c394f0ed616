using Carrot.Errors;
using Carrot.Messaging;
using Carrot.Storage;
using Microsoft.Extensions.Hosting;

namespace Carrot.Daemon.Maintenance;

/// <summary>
/// The outbox relay: publishes queued tasks whose message the broker never confirmed (the producer found
/// RabbitMQ down, or died between insert and publish, or the task was rescued). Publishing twice is harmless:
/// the claim lets only one delivery run the task.
/// </summary>
internal sealed class RelayService(TaskStore tasks, TaskPublisher publisher, Serilog.ILogger logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    // Rows younger than this are most likely being published by their producer right now.
    private static readonly TimeSpan MinimumAge = TimeSpan.FromSeconds(2);

    private readonly Serilog.ILogger _logger = logger.ForContext<RelayService>();
    private readonly TaskDispatcher _dispatcher = new(publisher, tasks);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await publisher.DisposeAsync();
    }

    // Every second, also while the broker or the database is away (said once per outage by the shared loop), so a
    // backlog goes out as soon as both are back.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        new MaintenanceLoop("Relay", _logger, TimeProvider.System).RunAsync(RelayAllAsync, Interval, stoppingToken, runAtOnce: false, longestPause: Interval);

    // Logged per batch: a broker outage in the middle of a long backlog must not hide what was already sent. A
    // backlog goes out in pipelined windows (TaskDispatcher), not one confirm round trip per task.
    private async Task RelayAllAsync(CancellationToken cancellationToken)
    {
        const int batchSize = 4 * TaskPublisher.MaxInFlight;
        while (true)
        {
            var batch = await tasks.ListUnpublishedAsync(MinimumAge, batchSize, cancellationToken);
            var report = await _dispatcher.DispatchManyAsync(batch, cancellationToken);
            if (report.Published > 0)
            {
                _logger.Information("Relayed {Count} unpublished task(s) to RabbitMQ", report.Published);
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (report.FirstError is { } problem)
            {
                throw new BrokerUnavailableException(problem);
            }

            if (report.MarkFailure is { } failure)
            {
                throw failure;
            }

            if (batch.Count < batchSize)
            {
                return;
            }
        }
    }
}

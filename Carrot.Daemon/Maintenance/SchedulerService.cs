using Carrot.Configuration;
using Carrot.Daemon.Hosting;
using Carrot.Errors;
using Carrot.Lifecycle;
using Carrot.Messaging;
using Carrot.Scheduling;
using Carrot.Storage;
using Microsoft.Extensions.Hosting;

namespace Carrot.Daemon.Maintenance;

/// <summary>
/// Time-driven work: fires due recurring schedules (one task per occurrence) and moves due scheduled tasks (delays,
/// start times, retries after their backoff) to queued; then publishes them at once. Both moves are guarded writes,
/// so with several daemons each task is promoted, and published, by one. Should the publish fail, the row stays
/// unpublished and the relay sends it later. Tasks wait in the database, never unacked in RabbitMQ.
/// </summary>
internal sealed class SchedulerService(
    TaskStore tasks,
    ScheduleStore schedules,
    BrokerConnector connector,
    DaemonIdentity identity,
    CarrotOptions options,
    TimeProvider clock,
    Serilog.ILogger logger) : BackgroundService
{
    // The longest sleep: new schedules and tasks written by the CLI are seen within this.
    private static readonly TimeSpan MaxSleep = TimeSpan.FromMilliseconds(250);

    private readonly Serilog.ILogger _logger = logger.ForContext<SchedulerService>();
    private readonly TaskPublisher _publisher = new(connector, $"carrotd-scheduler:{identity.Node}");
    private TaskDispatcher? _dispatcher;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await _publisher.DisposeAsync();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string? lastProblem = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            var sleep = MaxSleep;
            try
            {
                sleep = await RunDueAsync(stoppingToken);
                lastProblem = null;
            }
            catch (Exception e) when (e is CarrotStoreException or BrokerUnavailableException)
            {
                if (e.Message != lastProblem)
                {
                    _logger.Warning("Scheduler paused: {Reason}", e.Message);
                    lastProblem = e.Message;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await Task.Delay(sleep, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Fires and promotes whatever is due; returns how long to sleep before the next thing falls due.</summary>
    private async Task<TimeSpan> RunDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var nextSchedule = await schedules.NextDueAsync(cancellationToken);
        if (nextSchedule <= now)
        {
            var fired = await schedules.FireDueAsync(Recurrence.NextAfterFiring, s => RetryBudget.MaxAttempts(0, s.MaxRetries, null, options.MaxAttempts), cancellationToken);
            foreach (var task in fired.Tasks)
            {
                _logger.Information("Schedule fired: task {TaskId} enqueued on worker {Worker}", task.Id, task.Worker);
            }

            foreach (var schedule in fired.PausedWithoutWorker)
            {
                _logger.Warning("Schedule {Schedule} paused: its worker {Worker} no longer exists, so no task was enqueued. Add the worker again and resume the schedule, or remove it", schedule.Name, schedule.Worker);
            }

            await PublishAsync(fired.Tasks, cancellationToken);
            nextSchedule = await schedules.NextDueAsync(cancellationToken);
        }

        var nextTask = await tasks.NextDueAsync(cancellationToken);
        if (nextTask <= now)
        {
            IReadOnlyList<UnpublishedTask> due;
            do
            {
                due = await tasks.PromoteDueAsync(500, cancellationToken);
                await PublishAsync(due, cancellationToken);
            }
            while (due.Count == 500);

            nextTask = await tasks.NextDueAsync(cancellationToken);
        }

        var next = new[] { nextSchedule, nextTask }.Where(t => t is not null).Min();
        var wait = next is { } at ? at - clock.GetUtcNow() : MaxSleep;
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxSleep ? MaxSleep : wait;
    }

    // Published at once rather than left to the relay's next pass; what the broker did not confirm waits for the relay.
    private async Task PublishAsync(IReadOnlyList<UnpublishedTask> due, CancellationToken cancellationToken)
    {
        _dispatcher ??= new TaskDispatcher(_publisher, tasks);
        var report = await _dispatcher.DispatchManyAsync(due, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        if (report.FirstError is { } problem)
        {
            throw new BrokerUnavailableException(problem);
        }

        if (report.MarkFailure is { } failure)
        {
            throw failure;
        }
    }
}

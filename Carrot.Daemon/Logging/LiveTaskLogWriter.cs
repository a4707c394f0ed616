using Carrot.Configuration;
using Carrot.Errors;
using Carrot.Storage;
using Carrot.Storage.Monitoring;
using Microsoft.Extensions.Hosting;

namespace Carrot.Daemon.Logging;

/// <summary>
/// Every <c>liveTaskLogMs</c>, stores the lines that running tasks wrote since the last time, all tasks in one
/// transaction (batched: a task that writes a thousand lines a second costs one commit per interval, not a thousand),
/// so the monitor and <c>tasks show --follow</c> can tail them. The outcome stores whatever is left, as before. Lines it
/// could not store go back to their buffer for the next try or the outcome; none is stored twice.
/// </summary>
internal sealed class LiveTaskLogWriter(TaskLogCapture capture, CarrotDatabase database, CarrotOptions options, Serilog.ILogger logger) : BackgroundService
{
    private readonly LiveLogStore _store = new(database);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.LiveTaskLogMs <= 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.LiveTaskLogMs));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await WriteOnceAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the outcomes store what is left.
        }
    }

    /// <summary>One round: take every open buffer's new lines and store them together. Returns how many lines were stored.</summary>
    public async Task<int> WriteOnceAsync(CancellationToken cancellationToken)
    {
        var taken = new List<(TaskLogBuffer Buffer, LiveLogBatch Batch)>();
        foreach (var buffer in capture.Live.Open())
        {
            if (buffer.Identity is { } identity && buffer.TakeLive() is { Count: > 0 } lines)
            {
                taken.Add((buffer, new LiveLogBatch(identity.TaskId, identity.Attempt, lines)));
            }
        }

        if (taken.Count == 0)
        {
            return 0;
        }

        try
        {
            return await _store.AppendAsync(taken.Select(t => t.Batch).ToList(), cancellationToken);
        }
        catch (Exception e) when (e is CarrotStoreException or OperationCanceledException)
        {
            var lost = taken.Where(t => !t.Buffer.GiveBack(t.Batch.Lines)).Sum(t => t.Batch.Lines.Count);
            if (e is CarrotStoreException)
            {
                logger.Warning("Live task log lines not stored yet ({Reason}); they are kept for the next try or the outcome{Lost}", e.Message, lost > 0 ? $", except {lost} whose outcome was already taken" : "");
            }

            return 0;
        }
    }
}

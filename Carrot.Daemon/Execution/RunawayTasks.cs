using System.Collections.Concurrent;

namespace Carrot.Daemon.Execution;

/// <summary>
/// Tasks whose token fired (timeout or cancel) and that did not end within the runaway grace period. .NET cannot
/// stop a thread, so their code may still run in this process; Carrot records their outcome, frees their slot and
/// lists them here until they end, for the heartbeat to publish in <c>carrot status</c>.
/// </summary>
internal sealed class RunawayTasks(Serilog.ILogger logger)
{
    private readonly ConcurrentDictionary<long, DateTimeOffset> _tasks = new();

    public IReadOnlyCollection<long> Ids => _tasks.Keys.ToList();

    public void Add(long taskId, string kallable, Task stillRunning, TimeProvider clock)
    {
        var since = clock.GetUtcNow();
        _tasks[taskId] = since;
        _ = WatchAsync(taskId, kallable, stillRunning, since, clock);
    }

    private async Task WatchAsync(long taskId, string kallable, Task stillRunning, DateTimeOffset since, TimeProvider clock)
    {
        try
        {
            await stillRunning;
        }
        catch (Exception)
        {
            // Its outcome is recorded already; only its end matters now.
        }

        _tasks.TryRemove(taskId, out _);
        logger.Information("Runaway task {TaskId} {Kallable} finally ended, {Seconds:0} s after Carrot stopped waiting for it", taskId, kallable, (clock.GetUtcNow() - since).TotalSeconds);
    }
}

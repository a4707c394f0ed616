using System.Collections.Concurrent;
using Carrot.Errors;
using Carrot.Storage;

namespace Carrot.Daemon.Execution;

/// <summary>
/// Tasks whose token fired (timeout or cancel) and that did not end within the runaway grace period. .NET cannot
/// stop a thread, so their code may still run in this process; Carrot records their outcome, frees their slot and
/// lists them here until they end, for the heartbeat to publish in <c>carrot status</c>. Their rows name this
/// daemon (<c>runaway_owner</c>) until then, so a retry cannot start a second copy beside the first.
/// </summary>
internal sealed class RunawayTasks(TaskStore tasks, Serilog.ILogger logger)
{
    private readonly ConcurrentDictionary<long, DateTimeOffset> _tasks = new();

    public IReadOnlyCollection<long> Ids => _tasks.Keys.ToList();

    public void Add(ClaimedTask claim, Task stillRunning, TimeProvider clock)
    {
        var since = clock.GetUtcNow();
        _tasks[claim.Id] = since;
        _ = WatchAsync(claim, stillRunning, since, clock);
    }

    private async Task WatchAsync(ClaimedTask claim, Task stillRunning, DateTimeOffset since, TimeProvider clock)
    {
        try
        {
            await stillRunning;
        }
        catch (Exception)
        {
            // Its outcome is recorded already; only its end matters now.
        }

        _tasks.TryRemove(claim.Id, out _);
        logger.Information("Runaway task {TaskId} {Kallable} finally ended, {Seconds:0} s after Carrot stopped waiting for it", claim.Id, claim.Kallable, (clock.GetUtcNow() - since).TotalSeconds);
        try
        {
            await tasks.ClearRunawayAsync(claim.Id, claim.LeaseOwner, CancellationToken.None);
        }
        catch (CarrotStoreException e)
        {
            // Not fatal: once this daemon stops, its marks no longer hold anything back.
            logger.Warning("Could not clear the runaway mark of task {TaskId}; a retry of it waits until this daemon stops: {Reason}", claim.Id, e.Message);
        }
    }
}

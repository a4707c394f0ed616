using Carrot.Daemon.Hosting;
using Carrot.Diagnostics.Telemetry;
using Carrot.Storage;

namespace Carrot.Daemon.Maintenance;

/// <summary>
/// At start, before consuming: a daemon on this host whose process is gone (killed, crashed) cannot finish its
/// tasks, so they are rescued now rather than after their leases expire. "This host" is this kernel and PID namespace
/// (<see cref="HostKey"/>), where a PID means the same process; daemons elsewhere — other machines, other containers
/// on this one, even with the same hostname — are left to the lease rescue, since their processes cannot be checked from here.
/// </summary>
internal sealed class DeadDaemonRescue(DaemonStore daemons, DaemonIdentity identity, Serilog.ILogger logger)
{
    /// <summary>
    /// Best effort, never fatal: whatever goes wrong is one line, and the tasks concerned are rescued anyway, by
    /// the heartbeat's lease rescue, once their leases expire.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<(string Id, long Pid)> unstopped;
        try
        {
            unstopped = await daemons.ListUnstoppedOnHostAsync(identity.HostKey, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.Warning("Could not look for dead daemons on this host ({Reason}); their tasks are rescued when their leases expire", FaultLog.Reason(e));
            return;
        }

        foreach (var (id, pid) in unstopped)
        {
            // Anything uncertain (a process we may not see or signal) is left to the lease rescue.
            if (id == identity.Id || !IsGone((int)pid))
            {
                continue;
            }

            try
            {
                var rescued = await daemons.BuryAsync(id, cancellationToken);
                CarrotMetrics.Rescued(rescued, "daemon_died");
                logger.Warning("carrotd {DaemonId} (pid {Pid}) on this host died without stopping; {Count} of its running task(s) are queued again, {Ended} ended (no attempt left, or a cancel asked for)", id, pid, rescued.Requeued, rescued.Ended);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.Warning("Could not rescue the tasks of dead carrotd {DaemonId} ({Reason}); they are rescued when their leases expire", id, FaultLog.Reason(e));
            }
        }
    }

    private bool IsGone(int pid) => pid != identity.Pid && ProcessLiveness.IsCertainlyGone(pid);
}

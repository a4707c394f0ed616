using Carrot.Daemon.Hosting;
using Carrot.Storage;

namespace Carrot.Daemon.Maintenance;

/// <summary>
/// At start, before consuming: a daemon on this host whose process is gone (killed, crashed) cannot finish its
/// tasks, so they are rescued now rather than after their leases expire. Daemons on other hosts are left to
/// the lease rescue, since their processes cannot be checked from here.
/// </summary>
internal sealed class DeadDaemonRescue(DaemonStore daemons, DaemonIdentity identity, Serilog.ILogger logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        foreach (var (id, pid) in await daemons.ListUnstoppedOnHostAsync(identity.Host, cancellationToken))
        {
            // Anything uncertain (a process we may not see or signal) is left to the lease rescue.
            if (id == identity.Id || !IsGone((int)pid))
            {
                continue;
            }

            var rescued = await daemons.BuryAsync(id, cancellationToken);
            logger.Warning("carrotd {DaemonId} (pid {Pid}) on this host died without stopping; {Count} of its running task(s) are queued again", id, pid, rescued);
        }
    }

    private bool IsGone(int pid) => pid != identity.Pid && ProcessLiveness.IsCertainlyGone(pid);
}

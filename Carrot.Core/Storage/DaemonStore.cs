using Carrot.Records;
using Carrot.Storage.Rows;
using Dapper;

namespace Carrot.Storage;

/// <summary>All SQL on the daemons table: registration, heartbeats (which also renew the daemon's leases) and listing.</summary>
internal sealed class DaemonStore(CarrotDatabase database, TimeProvider clock)
{
    public Task RegisterAsync(string id, string host, string hostKey, int pid, string version, CancellationToken cancellationToken)
    {
        var now = Now();
        return database.WriteAsync(c => c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO daemons (id, host, host_key, pid, version, started_at, heartbeat_at) VALUES (@id, @host, @hostKey, @pid, @version, @now, @now)",
            new { id, host, hostKey, pid, version, now }, cancellationToken: cancellationToken)), cancellationToken);
    }

    /// <summary>
    /// One short write per beat: the daemon is alive, and so are the leases on the tasks it really holds
    /// (<paramref name="held"/>). A row it no longer holds in memory (whatever went wrong) is not renewed, so its lease
    /// runs out and the rescue takes it back instead of leaving it running forever.
    /// </summary>
    public Task HeartbeatAsync(string id, TimeSpan lease, IReadOnlyCollection<long> held, IReadOnlyCollection<long> runaways, CancellationToken cancellationToken)
    {
        var now = Now();
        var leaseUntil = now + (long)lease.TotalMilliseconds;
        var runawayList = string.Join(',', runaways.Order());
        var heldIds = held.ToList();
        return database.WriteAsync(async c =>
        {
            await c.ExecuteAsync(new CommandDefinition("UPDATE daemons SET heartbeat_at = @now, runaways = @runawayList WHERE id = @id", new { id, now, runawayList }, cancellationToken: cancellationToken));
            await c.ExecuteAsync(new CommandDefinition(
                // Skipping the rows another transaction holds (PostgreSQL): the writer locks a row to fence its outcome, and
                // a renewal waiting on it while holding others deadlocked with it. A row being finished needs no lease;
                // one held for another reason is renewed at the next beat, long before its lease runs out.
                $"""
                UPDATE tasks SET lease_expires_at = @leaseUntil
                WHERE id IN (SELECT id FROM tasks WHERE status = 'running' AND lease_owner = @id AND id {database.Sql.InList("@heldIds")} ORDER BY id {database.Sql.SkipLocked})
                """,
                new { id, leaseUntil, heldIds }, cancellationToken: cancellationToken));
        }, cancellationToken);
    }

    public Task MarkStoppedAsync(string id, CancellationToken cancellationToken)
    {
        var now = Now();
        return database.WriteAsync(c => c.ExecuteAsync(new CommandDefinition(
            "UPDATE daemons SET stopped_at = @now, heartbeat_at = @now WHERE id = @id", new { id, now }, cancellationToken: cancellationToken)), cancellationToken);
    }

    /// <summary>Daemons that have not stopped and have beaten since <paramref name="aliveWithin"/> ago.</summary>
    public Task<IReadOnlyList<DaemonRecord>> ListAliveAsync(TimeSpan aliveWithin, CancellationToken cancellationToken)
    {
        var since = Now() - (long)aliveWithin.TotalMilliseconds;
        return database.ReadAsync<IReadOnlyList<DaemonRecord>>(async c =>
            (await c.QueryAsync<DaemonRow>(new CommandDefinition(
                """
                SELECT d.id AS Id, d.host AS Host, d.pid AS Pid, d.version AS Version, d.started_at AS StartedAt,
                       d.heartbeat_at AS HeartbeatAt, d.stopped_at AS StoppedAt, d.runaways AS Runaways,
                       (SELECT count(*) FROM tasks WHERE status = 'running' AND lease_owner = d.id) AS RunningTasks
                FROM daemons d
                WHERE d.stopped_at IS NULL AND d.heartbeat_at >= @since
                ORDER BY d.started_at
                """,
                new { since }, cancellationToken: cancellationToken))).Select(r => r.ToRecord()).ToList(), cancellationToken);
    }

    private long Now() => UnixTime.ToMs(clock.GetUtcNow());

    /// <summary>Daemons registered with <paramref name="hostKey"/> (same kernel, same PID namespace) that never marked themselves stopped: (id, pid).</summary>
    public Task<IReadOnlyList<(string Id, long Pid)>> ListUnstoppedOnHostAsync(string hostKey, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<(string, long)>>(async c =>
            (await c.QueryAsync<(string, long)>(new CommandDefinition(
                "SELECT id, pid FROM daemons WHERE host_key = @hostKey AND stopped_at IS NULL", new { hostKey }, cancellationToken: cancellationToken))).ToList(), cancellationToken);

    /// <summary>
    /// A daemon known to be dead (its process is gone): marked stopped, and its running tasks go back to queued at
    /// once, their attempt counted (or fail when none is left), instead of waiting for their leases to expire.
    /// </summary>
    public Task<RescuedTasks> BuryAsync(string id, CancellationToken cancellationToken)
    {
        var now = Now();
        return database.WriteAsync(async c =>
        {
            await c.ExecuteAsync(new CommandDefinition("UPDATE daemons SET stopped_at = @now WHERE id = @id AND stopped_at IS NULL", new { id, now }, cancellationToken: cancellationToken));
            return await OrphanRescue.RescueAsync(c, database.Sql, "lease_owner = @id", now, new { id }, cancellationToken);
        }, cancellationToken);
    }
}

using System.Data;
using System.Data.Common;

namespace Carrot.Storage.Writes;

/// <summary>
/// queued → running for <paramref name="owner"/>, on <paramref name="worker"/> only. Its result is null when there is
/// nothing to claim: a duplicate or misrouted message, a finished, cancelled or unknown task, a runaway copy still
/// alive, or every slot of the worker taken (<see cref="TaskStore.IsWorkerFullAsync"/> tells that case apart).
/// </summary>
internal sealed class ClaimWrite(long id, string worker, string owner, string node, TimeSpan lease) : TaskWrite<ClaimedTask?>
{
    public override string? ClaimsFor => worker;

    private long _now;

    public override void Add(StatementRound round, long now)
    {
        _now = now;
        var leaseMs = (long)lease.TotalMilliseconds;
        round.Add(TaskSql.Claim, ReadAsync,
            ("@id", DbType.Int64, id), ("@worker", DbType.String, worker), ("@owner", DbType.String, owner), ("@node", DbType.String, node),
            ("@now", DbType.Int64, now), ("@leaseUntil", DbType.Int64, now + leaseMs), ("@aliveSince", DbType.Int64, now - leaseMs));
    }

    private async Task ReadAsync(DbDataReader reader)
    {
        if (!await reader.ReadAsync())
        {
            Result = null;
            return;
        }

        var timeout = reader.GetOrdinal("TimeoutMs");
        var maxRetries = reader.GetOrdinal("MaxRetries");
        var traceParent = reader.GetOrdinal("TraceParent");
        Result = new ClaimedTask(
            reader.GetInt64(reader.GetOrdinal("Id")),
            reader.GetString(reader.GetOrdinal("Kallable")),
            reader.GetString(reader.GetOrdinal("Args")),
            reader.GetString(reader.GetOrdinal("Kwargs")),
            reader.GetString(reader.GetOrdinal("Worker")),
            (int)reader.GetInt64(reader.GetOrdinal("Attempt")),
            (int)reader.GetInt64(reader.GetOrdinal("MaxAttempts")),
            reader.GetString(reader.GetOrdinal("LeaseOwner")),
            reader.GetInt64(reader.GetOrdinal("RunAlone")) != 0)
        {
            MaxRetries = reader.IsDBNull(maxRetries) ? null : (int)reader.GetInt64(maxRetries),
            AttemptBase = (int)reader.GetInt64(reader.GetOrdinal("AttemptBase")),
            Timeout = reader.IsDBNull(timeout) ? null : TimeSpan.FromMilliseconds(reader.GetInt64(timeout)),
            TraceParent = reader.IsDBNull(traceParent) ? null : reader.GetString(traceParent),
            QueueWait = TimeSpan.FromMilliseconds(Math.Max(0, _now - reader.GetInt64(reader.GetOrdinal("QueuedAt")))),
        };
    }
}

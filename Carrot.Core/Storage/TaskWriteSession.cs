using System.Data;
using System.Data.Common;
using Carrot.Storage.Writes;

namespace Carrot.Storage;

/// <summary>
/// The connection claims, outcomes and hand-backs are written on (the daemon's writer holds one open;
/// <see cref="TaskStore"/> opens one per call), with their statements kept prepared. A batch of
/// <see cref="TaskWrite"/>s is one transaction — one commit, one fsync — sent as one round: on PostgreSQL one round
/// trip from BEGIN to COMMIT whatever the batch's size. Not thread-safe: one writer loop owns it.
/// </summary>
internal sealed class TaskWriteSession : IAsyncDisposable
{
    private readonly DbConnection _connection;
    private readonly StoreEngine _engine;
    private readonly PreparedCommands _prepared;

    private TaskWriteSession(DbConnection connection, StoreEngine engine)
    {
        _connection = connection;
        _engine = engine;
        _prepared = new PreparedCommands(connection);
    }

    public static async Task<TaskWriteSession> OpenAsync(StoreEngine engine, CancellationToken cancellationToken) =>
        new(await engine.OpenAsync(cancellationToken), engine);

    /// <summary>
    /// Writes <paramref name="writes"/> in one transaction, one round: each one's result is valid once this returns,
    /// except for those returned, which found a cancel asked for, applied nothing, and must be written again
    /// (<see cref="AttemptWrite{T}"/>). Outcomes and hand-backs go before claims, so a slot one of them frees counts
    /// for a claim of the same batch.
    /// </summary>
    public async Task<IReadOnlyList<TaskWrite>> WriteAsync(IReadOnlyList<TaskWrite> writes, long now)
    {
        try
        {
            var round = new StatementRound(_connection, _prepared, _engine.Sql);
            round.Add(_engine.Sql.BeginWrite);
            TakeClaimLocks(round, writes);
            foreach (var write in TaskSql.InIdOrder(writes.Where(w => w.ClaimsFor is null), w => w.LocksTask))
            {
                write.Add(round, now);
            }

            foreach (var write in writes.Where(w => w.ClaimsFor is not null))
            {
                write.Add(round, now);
            }

            round.Add("COMMIT");
            await round.RunAsync();
        }
        catch (DbException e)
        {
            await RollbackAsync();
            throw _engine.Translate(e);
        }
        catch
        {
            await RollbackAsync();
            throw;
        }

        return writes.Where(write => !write.Settle()).ToList();
    }

    /// <summary>One write in a transaction of its own (two when it must go again); its result.</summary>
    public async Task<T> WriteAsync<T>(TaskWrite<T> write, long now)
    {
        while ((await WriteAsync([write], now)).Count > 0)
        {
        }

        return write.Result;
    }

    public async ValueTask DisposeAsync()
    {
        await _prepared.DisposeAsync();
        await _connection.DisposeAsync();
    }

    /// <summary>
    /// PostgreSQL: the claims of one worker take turns on its lock until the commit (so two hosts cannot both take its
    /// last slot). Taken first, in the order of the workers' names, so that writers holding rows never wait for one.
    /// </summary>
    private void TakeClaimLocks(StatementRound round, IReadOnlyList<TaskWrite> writes)
    {
        if (_engine.Sql.LockName is not { } lockName)
        {
            return;
        }

        foreach (var worker in writes.Select(w => w.ClaimsFor).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            round.Add(lockName, _ => Task.CompletedTask, ("@lockName", DbType.String, TaskSql.ClaimLockName(worker)));
        }
    }

    private async Task RollbackAsync()
    {
        try
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = "ROLLBACK";
            await command.ExecuteNonQueryAsync();
        }
        catch (DbException)
        {
            // No transaction left to roll back (the engine ended it, or the failure was the BEGIN or the COMMIT).
        }
    }
}

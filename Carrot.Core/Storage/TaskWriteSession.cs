using System.Data;
using System.Data.Common;
using Carrot.Tasks;

namespace Carrot.Storage;

/// <summary>
/// The daemon writer's own connection, with the hot-path statements (<see cref="TaskSql"/>) created once and
/// reused: SQLite keeps each command's statement prepared, Npgsql prepares them after their second use, so a claim or
/// an outcome costs a bind and an execution, not a parse and plan per task. Parameters are typed, so that PostgreSQL
/// never has to guess the type of a null. Not thread-safe: one writer loop owns it.
/// </summary>
internal sealed class TaskWriteSession : IAsyncDisposable
{
    private const DbType Id = DbType.Int64;
    private const DbType Text = DbType.String;

    private readonly DbConnection _connection;
    private readonly StoreEngine _engine;
    private readonly DbCommand? _lockClaims;
    private readonly HashSet<string> _claimLocksHeld = new(StringComparer.Ordinal);
    private readonly DbCommand _claim;
    private readonly DbCommand _fence;
    private readonly DbCommand _recordAttempt;
    private readonly DbCommand _complete;
    private readonly DbCommand _release;
    private readonly DbCommand _nextLogSeq;
    private readonly DbCommand _insertLog;

    private TaskWriteSession(DbConnection connection, StoreEngine engine)
    {
        _connection = connection;
        _engine = engine;
        _lockClaims = engine.Sql.LockName is { } lockName ? Command(lockName, ("@lockName", Text)) : null;
        _claim = Command(TaskSql.Claim, ("@id", Id), ("@worker", Text), ("@owner", Text), ("@node", Text), ("@now", Id), ("@leaseUntil", Id), ("@aliveSince", Id));
        _fence = Command(TaskSql.Fence(engine.Sql), ("@Id", Id), ("@LeaseOwner", Text), ("@Attempt", Id));
        _recordAttempt = Command(TaskSql.RecordAttempt, ("@now", Id), ("@AttemptState", Text), ("@ErrorType", Text), ("@ErrorMessage", Text), ("@StackTrace", Text), ("@Id", Id), ("@LeaseOwner", Text), ("@Attempt", Id));
        _complete = Command(TaskSql.Complete, ("@State", Text), ("@now", Id), ("@RunAt", Id), ("@MaxAttempts", Id), ("@Result", Text), ("@ErrorType", Text), ("@ErrorMessage", Text), ("@StackTrace", Text), ("@RunawayOwner", Text), ("@Id", Id), ("@LeaseOwner", Text), ("@Attempt", Id));
        _release = Command(TaskSql.Release, ("@Republish", DbType.Boolean), ("@Id", Id), ("@LeaseOwner", Text), ("@Attempt", Id));
        _nextLogSeq = Command(TaskSql.NextLogSeq, ("@Id", Id), ("@Attempt", Id));
        _insertLog = Command(TaskSql.InsertLog, ("@TaskId", Id), ("@Attempt", Id), ("@Seq", Id), ("@At", Id), ("@Level", Text), ("@Message", Text));
    }

    public static async Task<TaskWriteSession> OpenAsync(StoreEngine engine, CancellationToken cancellationToken) =>
        new(await engine.OpenAsync(cancellationToken), engine);

    /// <summary>Runs <paramref name="writes"/> in one immediate transaction: one commit, one fsync, for all of them.</summary>
    public Task InTransactionAsync(Func<Task> writes) =>
        InTransactionAsync(async () =>
        {
            await writes();
            return true;
        });

    public async Task<T> InTransactionAsync<T>(Func<Task<T>> writes)
    {
        try
        {
            await ExecuteAsync(_engine.Sql.BeginWrite);
            _claimLocksHeld.Clear();
            try
            {
                var result = await writes();
                await ExecuteAsync("COMMIT");
                return result;
            }
            catch
            {
                await RollbackAsync();
                throw;
            }
        }
        catch (DbException e)
        {
            throw _engine.Translate(e);
        }
    }

    /// <summary>
    /// queued → running for <paramref name="owner"/>, on <paramref name="worker"/> only. Null when there is nothing to
    /// claim: a duplicate or misrouted message, a finished, cancelled or unknown task, a runaway copy still alive, or
    /// every slot of the worker taken (<see cref="TaskStore.IsWorkerFullAsync"/> tells that case apart).
    /// </summary>
    public async Task<ClaimedTask?> TryClaimAsync(long id, string worker, string owner, string node, TimeSpan lease, long now)
    {
        // Once per worker and transaction: the lock is held to the commit anyway, so a batch's later claims skip the round trip.
        if (_lockClaims is not null && _claimLocksHeld.Add(worker))
        {
            Bind(_lockClaims, TaskSql.ClaimLockName(worker));
            await _lockClaims.ExecuteNonQueryAsync();
        }

        var leaseMs = (long)lease.TotalMilliseconds;
        Bind(_claim, id, worker, owner, node, now, now + leaseMs, now - leaseMs);
        await using var reader = await _claim.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        var timeout = reader.GetOrdinal("TimeoutMs");
        var maxRetries = reader.GetOrdinal("MaxRetries");
        return new ClaimedTask(
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
        };
    }

    /// <summary>
    /// Records how an attempt ended, with its log lines and (see <see cref="TaskSql.KeepsAttemptRow"/>) its history
    /// row. <paramref name="decide"/> turns the row's cancel flag, read here under the write lock, into the outcome
    /// (<see cref="Lifecycle.AttemptOutcomes"/>). Fenced by owner and attempt: null when the lease was lost and
    /// nothing changed, else the outcome recorded.
    /// </summary>
    public async Task<TaskOutcome?> CompleteAsync(ClaimedTask claim, Func<bool, TaskOutcome> decide, IReadOnlyList<TaskLogEntry> logs, long now)
    {
        // The lines are kept even from an executor that lost its lease: they tell what that run did.
        await InsertLogsAsync(claim, logs);
        if (await ReadFenceAsync(claim) is not { } cancelRequested)
        {
            return null;
        }

        var outcome = decide(cancelRequested);
        await WriteOutcomeAsync(claim, outcome, now);
        return outcome;
    }

    /// <summary>
    /// Hands a task back (shutdown, or a task that must wait to run alone) with the log lines of its interrupted run,
    /// the attempt not counted; <paramref name="republish"/> when its message is gone, so the relay sends it again.
    /// A task someone asked to cancel is not handed back: it ends cancelled, since it must not start again.
    /// </summary>
    public async Task<HandBack> ReleaseAsync(ClaimedTask claim, IReadOnlyList<TaskLogEntry> logs, bool republish, long now)
    {
        if (await ReadFenceAsync(claim) is not { } cancelRequested)
        {
            return HandBack.LeaseLost;
        }

        await InsertLogsAsync(claim, logs);
        if (cancelRequested)
        {
            await WriteOutcomeAsync(claim, Lifecycle.AttemptOutcomes.CancelledAtHandBack(), now);
            return HandBack.Cancelled;
        }

        Bind(_release, republish, claim.Id, claim.LeaseOwner, claim.Attempt);
        await _release.ExecuteNonQueryAsync();
        return HandBack.Queued;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in new[] { _lockClaims, _claim, _fence, _recordAttempt, _complete, _release, _nextLogSeq, _insertLog })
        {
            if (command is not null)
            {
                await command.DisposeAsync();
            }
        }

        await _connection.DisposeAsync();
    }

    private async Task<bool?> ReadFenceAsync(ClaimedTask claim)
    {
        Bind(_fence, claim.Id, claim.LeaseOwner, claim.Attempt);
        var cancelRequested = await _fence.ExecuteScalarAsync();
        return cancelRequested is null or DBNull ? null : Convert.ToInt64(cancelRequested, System.Globalization.CultureInfo.InvariantCulture) != 0;
    }

    private async Task WriteOutcomeAsync(ClaimedTask claim, TaskOutcome outcome, long now)
    {
        if (TaskSql.KeepsAttemptRow(claim, outcome))
        {
            Bind(_recordAttempt, now, outcome.State.ToName(), outcome.ErrorType, outcome.ErrorMessage, outcome.StackTrace, claim.Id, claim.LeaseOwner, claim.Attempt);
            await _recordAttempt.ExecuteNonQueryAsync();
        }

        var state = outcome.RetryAt is null ? outcome.State.ToName() : "scheduled";
        var runAt = outcome.RetryAt is { } at ? UnixTime.ToMs(at) : (long?)null;
        Bind(_complete, state, now, runAt, outcome.MaxAttempts, outcome.Result, outcome.ErrorType, outcome.ErrorMessage, outcome.StackTrace, outcome.RunawayOwner, claim.Id, claim.LeaseOwner, claim.Attempt);
        await _complete.ExecuteNonQueryAsync();
    }

    private async Task InsertLogsAsync(ClaimedTask claim, IReadOnlyList<TaskLogEntry> logs)
    {
        if (logs.Count == 0)
        {
            return;
        }

        Bind(_nextLogSeq, claim.Id, claim.Attempt);
        var first = Convert.ToInt64(await _nextLogSeq.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < logs.Count; i++)
        {
            Bind(_insertLog, claim.Id, claim.Attempt, first + i, UnixTime.ToMs(logs[i].At), logs[i].Level.ToString(), logs[i].Message);
            await _insertLog.ExecuteNonQueryAsync();
        }
    }

    private DbCommand Command(string sql, params (string Name, DbType Type)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, type) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.DbType = type;
            parameter.Value = DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private static void Bind(DbCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            // Widened here: Npgsql writes a bigint parameter from a long only.
            command.Parameters[i].Value = values[i] switch { null => DBNull.Value, int n => (long)n, var v => v };
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private async Task RollbackAsync()
    {
        try
        {
            await ExecuteAsync("ROLLBACK");
        }
        catch (DbException)
        {
            // The engine already rolled back (some errors end the transaction by themselves).
        }
    }
}

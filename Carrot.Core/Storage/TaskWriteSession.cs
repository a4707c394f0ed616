using Carrot.Errors;
using Carrot.Tasks;
using Microsoft.Data.Sqlite;

namespace Carrot.Storage;

/// <summary>
/// The daemon writer's own connection, with the hot-path statements (<see cref="TaskSql"/>) prepared once and
/// reused: a claim or an outcome then costs a bind and a step, not a parse and plan per task.
/// Not thread-safe: one writer loop owns it.
/// </summary>
internal sealed class TaskWriteSession : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly string _path;
    private readonly SqliteCommand _claim;
    private readonly SqliteCommand _fence;
    private readonly SqliteCommand _recordAttempt;
    private readonly SqliteCommand _complete;
    private readonly SqliteCommand _release;
    private readonly SqliteCommand _nextLogSeq;
    private readonly SqliteCommand _insertLog;

    private TaskWriteSession(SqliteConnection connection, string path)
    {
        _connection = connection;
        _path = path;
        _claim = Command(TaskSql.Claim, "@id", "@worker", "@owner", "@node", "@now", "@leaseUntil", "@aliveSince");
        _fence = Command(TaskSql.Fence, "@Id", "@LeaseOwner", "@Attempt");
        _recordAttempt = Command(TaskSql.RecordAttempt, "@now", "@AttemptState", "@ErrorType", "@ErrorMessage", "@StackTrace", "@Id", "@LeaseOwner", "@Attempt");
        _complete = Command(TaskSql.Complete, "@State", "@now", "@RunAt", "@MaxAttempts", "@Result", "@ErrorType", "@ErrorMessage", "@StackTrace", "@RunawayOwner", "@Id", "@LeaseOwner", "@Attempt");
        _release = Command(TaskSql.Release, "@Republish", "@Id", "@LeaseOwner", "@Attempt");
        _nextLogSeq = Command(TaskSql.NextLogSeq, "@Id", "@Attempt");
        _insertLog = Command(TaskSql.InsertLog, "@TaskId", "@Attempt", "@Seq", "@At", "@Level", "@Message");
    }

    public static async Task<TaskWriteSession> OpenAsync(SqliteConnectionFactory connections, CancellationToken cancellationToken) =>
        new(await connections.OpenAsync(cancellationToken), connections.DatabasePath);

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
            await ExecuteAsync("BEGIN IMMEDIATE");
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
        catch (SqliteException e)
        {
            throw StoreErrors.Translate(e, _path);
        }
    }

    /// <summary>
    /// queued → running for <paramref name="owner"/>, on <paramref name="worker"/> only. Null when there is nothing to
    /// claim: a duplicate or misrouted message, a finished, cancelled or unknown task, or a runaway copy still alive.
    /// </summary>
    public async Task<ClaimedTask?> TryClaimAsync(long id, string worker, string owner, string node, TimeSpan lease, long now)
    {
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
            reader.GetInt32(reader.GetOrdinal("Attempt")),
            reader.GetInt32(reader.GetOrdinal("MaxAttempts")),
            reader.GetString(reader.GetOrdinal("LeaseOwner")),
            reader.GetInt64(reader.GetOrdinal("RunAlone")) != 0)
        {
            MaxRetries = reader.IsDBNull(maxRetries) ? null : reader.GetInt32(maxRetries),
            AttemptBase = reader.GetInt32(reader.GetOrdinal("AttemptBase")),
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
        foreach (var command in new[] { _claim, _fence, _recordAttempt, _complete, _release, _nextLogSeq, _insertLog })
        {
            await command.DisposeAsync();
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
        var first = (long)(await _nextLogSeq.ExecuteScalarAsync())!;
        for (var i = 0; i < logs.Count; i++)
        {
            Bind(_insertLog, claim.Id, claim.Attempt, first + i, UnixTime.ToMs(logs[i].At), logs[i].Level.ToString(), logs[i].Message);
            await _insertLog.ExecuteNonQueryAsync();
        }
    }

    private SqliteCommand Command(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter(name, DBNull.Value));
        }

        return command;
    }

    private static void Bind(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
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
        catch (SqliteException)
        {
            // SQLite already rolled back (some errors end the transaction by themselves).
        }
    }
}

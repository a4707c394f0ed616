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
    private readonly SqliteCommand _recordAttempt;
    private readonly SqliteCommand _complete;
    private readonly SqliteCommand _release;
    private readonly SqliteCommand _nextLogSeq;
    private readonly SqliteCommand _insertLog;

    private TaskWriteSession(SqliteConnection connection, string path)
    {
        _connection = connection;
        _path = path;
        _claim = Command(TaskSql.Claim, "@id", "@owner", "@node", "@now", "@leaseUntil");
        _recordAttempt = Command(TaskSql.RecordAttempt, "@now", "@AttemptState", "@ErrorType", "@ErrorMessage", "@StackTrace", "@Id", "@LeaseOwner", "@Attempt");
        _complete = Command(TaskSql.Complete, "@State", "@now", "@RunAt", "@MaxAttempts", "@Result", "@ErrorType", "@ErrorMessage", "@StackTrace", "@Id", "@LeaseOwner", "@Attempt");
        _release = Command(TaskSql.Release, "@Id", "@LeaseOwner", "@Attempt");
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

    public async Task<ClaimedTask?> TryClaimAsync(long id, string owner, string node, TimeSpan lease, long now)
    {
        Bind(_claim, id, owner, node, now, now + (long)lease.TotalMilliseconds);
        await using var reader = await _claim.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        return new ClaimedTask(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
            reader.GetInt32(5), reader.GetInt32(6), reader.GetString(7), reader.GetInt64(8) != 0)
        {
            MaxRetries = reader.IsDBNull(9) ? null : reader.GetInt32(9),
            AttemptBase = reader.GetInt32(10),
            Timeout = reader.IsDBNull(11) ? null : TimeSpan.FromMilliseconds(reader.GetInt64(11)),
        };
    }

    /// <summary>
    /// Records how an attempt ended, with its log lines and (see <see cref="TaskSql.KeepsAttemptRow"/>) its history
    /// row. Fenced by owner and attempt: false when the lease was lost and nothing changed.
    /// </summary>
    public async Task<bool> CompleteAsync(ClaimedTask claim, TaskOutcome outcome, IReadOnlyList<TaskLogEntry> logs, long now)
    {
        await InsertLogsAsync(claim, logs);
        if (TaskSql.KeepsAttemptRow(claim, outcome))
        {
            Bind(_recordAttempt, now, outcome.State.ToName(), outcome.ErrorType, outcome.ErrorMessage, outcome.StackTrace, claim.Id, claim.LeaseOwner, claim.Attempt);
            await _recordAttempt.ExecuteNonQueryAsync();
        }

        var state = outcome.RetryAt is null ? outcome.State.ToName() : "scheduled";
        var runAt = outcome.RetryAt is { } at ? UnixTime.ToMs(at) : (long?)null;
        Bind(_complete, state, now, runAt, outcome.MaxAttempts, outcome.Result, outcome.ErrorType, outcome.ErrorMessage, outcome.StackTrace, claim.Id, claim.LeaseOwner, claim.Attempt);
        return await _complete.ExecuteNonQueryAsync() == 1;
    }

    /// <summary>Hands a task back (shutdown) with the log lines of its interrupted run; false when the lease was lost.</summary>
    public async Task<bool> ReleaseAsync(ClaimedTask claim, IReadOnlyList<TaskLogEntry> logs)
    {
        await InsertLogsAsync(claim, logs);
        Bind(_release, claim.Id, claim.LeaseOwner, claim.Attempt);
        return await _release.ExecuteNonQueryAsync() == 1;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in new[] { _claim, _recordAttempt, _complete, _release, _nextLogSeq, _insertLog })
        {
            await command.DisposeAsync();
        }

        await _connection.DisposeAsync();
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

using Carrot.Logging;
using Carrot.Records;
using Carrot.Storage.Rows;
using Carrot.Tasks;
using System.Data;
using System.Data.Common;
using Dapper;

namespace Carrot.Storage;

/// <summary>
/// All SQL on the tasks and task_logs tables. Every state change is one guarded UPDATE, so a change that no
/// longer applies (a duplicate claim, a late outcome from an executor that lost its lease) changes nothing.
/// </summary>
internal sealed class TaskStore(CarrotDatabase database, TimeProvider clock)
{
    /// <summary>Inserts a task: queued, or scheduled when its <see cref="NewTask.RunAt"/> is still ahead.</summary>
    public async Task<long> InsertAsync(NewTask task, CancellationToken cancellationToken) =>
        (await InsertOrFindAsync(task, TimeSpan.Zero, cancellationToken)).Id;

    /// <summary>
    /// Inserts a task, unless its idempotency key already names a task that is unfinished or finished less than
    /// <paramref name="keyWindow"/> ago: then that task is returned as a duplicate and nothing is written. One write
    /// transaction (so concurrent producers, even in other processes, take turns) plus the unique index on the key.
    /// </summary>
    public Task<InsertedTask> InsertOrFindAsync(NewTask task, TimeSpan keyWindow, CancellationToken cancellationToken)
    {
        var now = Now();
        return database.WriteAsync(c => InsertCheckedAsync(c, database.Sql, task, now, keyWindow, cancellationToken), cancellationToken);
    }

    /// <summary>The one insert with its checks, in the caller's transaction: the worker again, then the key, then the row.</summary>
    private static async Task<InsertedTask> InsertCheckedAsync(DbConnection c, SqlDialect sql, NewTask task, long now, TimeSpan keyWindow, CancellationToken cancellationToken)
    {
        // Checked again in the inserting transaction: a worker removed since validation gets no task it would never run.
        await WorkerStore.RequireAsync(c, sql, [task.Worker], cancellationToken);
        if (task.IdempotencyKey is { } key && await FindKeyHolderAsync(c, sql, key, now, keyWindow, cancellationToken) is { } first)
        {
            return new InsertedTask(first, Duplicate: true);
        }

        return new InsertedTask(await InsertAsync(c, task, now, cancellationToken), Duplicate: false);
    }

    /// <summary>
    /// Inserts a task in the caller's own open transaction (transactional enqueue, PostgreSQL only): the same checks as
    /// <see cref="InsertOrFindAsync"/>, on the caller's connection, so the task exists if and only if the caller's data
    /// commits. Nothing is published here: the relay sends it once it is committed.
    /// </summary>
    public async Task<InsertedTask> InsertInTransactionAsync(DbTransaction transaction, NewTask task, TimeSpan keyWindow, CancellationToken cancellationToken)
    {
        if (database.Sql != SqlDialect.Postgres || transaction.Connection is not Npgsql.NpgsqlConnection connection)
        {
            throw new Errors.CarrotInputException($"Enqueueing in the caller's transaction needs Carrot's store on PostgreSQL and an open NpgsqlTransaction on that database; this store is {database.Display}.");
        }

        try
        {
            return await InsertCheckedAsync(connection, database.Sql, task, Now(), keyWindow, cancellationToken);
        }
        catch (Npgsql.PostgresException e) when (e.SqlState == "42P01")
        {
            throw new Errors.CarrotInputException($"The transaction given to EnqueueAsync is on a database without Carrot's tables; open it on Carrot's own database ({database.Display}).");
        }
        catch (DbException e)
        {
            throw database.Engine.Translate(e);
        }
    }

    /// <summary>
    /// The task that holds <paramref name="key"/>: unfinished, or finished within <paramref name="window"/> of
    /// <paramref name="now"/>. A holder past its window gives the key up here (in the caller's transaction), so the
    /// unique index lets the new task take it. Producers with the same key take turns on it (PostgreSQL's advisory
    /// lock; SQLite's write transaction already runs alone), so two cannot both find no holder and both insert.
    /// </summary>
    private static async Task<long?> FindKeyHolderAsync(DbConnection c, SqlDialect sql, string key, long now, TimeSpan window, CancellationToken cancellationToken)
    {
        await CarrotDatabase.LockNameAsync(c, sql, "carrot.key:" + key, cancellationToken);
        var holder = await c.QuerySingleOrDefaultAsync<(long Id, long? FinishedAt)?>(new CommandDefinition(
            "SELECT id, finished_at FROM tasks WHERE idempotency_key = @key", new { key }, cancellationToken: cancellationToken));
        if (holder is not { } found)
        {
            return null;
        }

        if (found.FinishedAt is not { } finished || finished >= now - (long)window.TotalMilliseconds)
        {
            return found.Id;
        }

        await c.ExecuteAsync(new CommandDefinition("UPDATE tasks SET idempotency_key = NULL WHERE id = @Id", new { found.Id }, cancellationToken: cancellationToken));
        return null;
    }

    internal static Task<long> InsertAsync(DbConnection connection, NewTask task, long now, CancellationToken cancellationToken)
    {
        var runAt = task.RunAt is { } at ? UnixTime.ToMs(at) : (long?)null;
        var status = runAt > now ? "scheduled" : "queued";
        return connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO tasks (kallable, args, kwargs, worker, status, priority, max_attempts, max_retries, timeout_ms, schedule_id,
                               idempotency_key, traceparent, created_at, run_at, queued_at)
            VALUES (@Kallable, @Args, @Kwargs, @Worker, @status, @Priority, @MaxAttempts, @MaxRetries, @TimeoutMs, @ScheduleId,
                    @IdempotencyKey, @TraceParent, @now, @runAt, CASE WHEN @status = 'queued' THEN @now END)
            RETURNING id
            """,
            new { task.Kallable, task.Args, task.Kwargs, task.Worker, status, task.Priority, task.MaxAttempts, task.MaxRetries, task.TimeoutMs, task.ScheduleId, task.IdempotencyKey, task.TraceParent, now, runAt },
            cancellationToken: cancellationToken));
    }

    /// <summary>Inserts every task in one transaction and returns their ids in order (see the keyed overload).</summary>
    public async Task<IReadOnlyList<long>> InsertManyAsync(IReadOnlyList<NewTask> tasks, CancellationToken cancellationToken) =>
        (await InsertOrFindManyAsync(tasks, TimeSpan.Zero, cancellationToken)).Select(t => t.Id).ToList();

    /// <summary>
    /// Inserts every task in one transaction (one fsync for the lot) and returns them in order. One prepared
    /// statement is reused for every row: RETURNING gives each row's id, which a multi-row INSERT would return
    /// in no promised order. A task whose key already names a task (as in <see cref="InsertOrFindAsync"/>) is
    /// not inserted: that task is returned as a duplicate. Keys must be distinct within the call (the validator checks).
    /// </summary>
    public Task<IReadOnlyList<InsertedTask>> InsertOrFindManyAsync(IReadOnlyList<NewTask> tasks, TimeSpan keyWindow, CancellationToken cancellationToken)
    {
        var now = Now();
        return database.WriteAsync<IReadOnlyList<InsertedTask>>(async c =>
        {
            await WorkerStore.RequireAsync(c, database.Sql, tasks.Select(t => t.Worker).ToList(), cancellationToken);
            await using var command = c.CreateCommand();
            command.CommandText = """
                INSERT INTO tasks (kallable, args, kwargs, worker, status, priority, max_attempts, max_retries, timeout_ms,
                                   idempotency_key, traceparent, created_at, run_at, queued_at)
                VALUES (@kallable, @args, @kwargs, @worker, CASE WHEN @runAt > @now THEN 'scheduled' ELSE 'queued' END, @priority,
                        @maxAttempts, @maxRetries, @timeoutMs, @key, @traceParent, @now, @runAt, CASE WHEN @runAt > @now THEN NULL ELSE @now END)
                RETURNING id
                """;
            DbParameter Add(string name, DbType type)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.DbType = type;
                command.Parameters.Add(parameter);
                return parameter;
            }

            var kallable = Add("@kallable", DbType.String);
            var args = Add("@args", DbType.String);
            var kwargs = Add("@kwargs", DbType.String);
            var worker = Add("@worker", DbType.String);
            var priority = Add("@priority", DbType.Int64);
            var maxAttempts = Add("@maxAttempts", DbType.Int64);
            var maxRetries = Add("@maxRetries", DbType.Int64);
            var timeoutMs = Add("@timeoutMs", DbType.Int64);
            var runAt = Add("@runAt", DbType.Int64);
            var key = Add("@key", DbType.String);
            var traceParent = Add("@traceParent", DbType.String);
            Add("@now", DbType.Int64).Value = now;
            var inserted = new InsertedTask[tasks.Count];
            for (var i = 0; i < tasks.Count; i++)
            {
                var task = tasks[i];
                if (task.IdempotencyKey is { } taskKey && await FindKeyHolderAsync(c, database.Sql, taskKey, now, keyWindow, cancellationToken) is { } first)
                {
                    inserted[i] = new InsertedTask(first, Duplicate: true);
                    continue;
                }

                key.Value = (object?)task.IdempotencyKey ?? DBNull.Value;
                traceParent.Value = (object?)task.TraceParent ?? DBNull.Value;
                kallable.Value = task.Kallable;
                args.Value = task.Args;
                kwargs.Value = task.Kwargs;
                worker.Value = task.Worker;
                priority.Value = (long)task.Priority;
                maxAttempts.Value = (long)task.MaxAttempts;
                maxRetries.Value = task.MaxRetries is { } retries ? (long)retries : DBNull.Value;
                timeoutMs.Value = (object?)task.TimeoutMs ?? DBNull.Value;
                runAt.Value = task.RunAt is { } at ? UnixTime.ToMs(at) : DBNull.Value;
                inserted[i] = new InsertedTask(Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture), Duplicate: false);
            }

            return inserted;
        }, cancellationToken);
    }

    /// <summary>Stamps published_at on the given tasks in one statement (the ids of one confirmed publish window).</summary>
    public Task MarkPublishedManyAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        var now = Now();
        return ids.Count == 0
            ? Task.CompletedTask
            : database.WriteAsync(c => c.ExecuteAsync(new CommandDefinition(
                $"UPDATE tasks SET published_at = @now WHERE id {database.Sql.InList("@ids")} AND published_at IS NULL",
                new { ids, now }, cancellationToken: cancellationToken)), cancellationToken);
    }

    public Task MarkPublishedAsync(long id, CancellationToken cancellationToken)
    {
        var now = Now();
        return database.WriteAsync(c => c.ExecuteAsync(new CommandDefinition(
            "UPDATE tasks SET published_at = @now WHERE id = @id AND published_at IS NULL",
            new { id, now }, cancellationToken: cancellationToken)), cancellationToken);
    }

    public Task<TaskRecord?> GetAsync(long id, CancellationToken cancellationToken) =>
        database.ReadAsync(async c =>
        {
            var row = await c.QuerySingleOrDefaultAsync<TaskRow>(new CommandDefinition(
                $"SELECT {TaskRow.Columns} FROM tasks WHERE id = @id", new { id }, cancellationToken: cancellationToken));
            return row?.ToRecord();
        }, cancellationToken);

    public Task<IReadOnlyList<TaskRecord>> ListAsync(TaskQuery query, CancellationToken cancellationToken)
    {
        var conditions = new List<string>();
        if (query.State is not null)
        {
            conditions.Add("status = @Status");
        }

        if (query.Worker is not null)
        {
            conditions.Add("worker = @Worker");
        }

        if (query.Kallable is not null)
        {
            conditions.Add("kallable = @Kallable");
        }

        if (query.ScheduleId is not null)
        {
            conditions.Add("schedule_id = @ScheduleId");
        }

        var where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
        var sql = $"SELECT {TaskRow.Columns} FROM tasks {where} ORDER BY id DESC LIMIT @Limit";
        var parameters = new { Status = query.State?.ToName(), query.Worker, query.Kallable, query.ScheduleId, query.Limit };
        return database.ReadAsync<IReadOnlyList<TaskRecord>>(async c =>
            (await c.QueryAsync<TaskRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken)))
                .Select(r => r.ToRecord()).ToList(), cancellationToken);
    }

    public Task<IReadOnlyList<TaskLogLine>> GetLogsAsync(long id, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<TaskLogLine>>(async c =>
            (await c.QueryAsync<TaskLogRow>(new CommandDefinition(
                $"SELECT {TaskSql.LogColumns} FROM task_logs WHERE task_id = @id ORDER BY attempt, seq",
                new { id }, cancellationToken: cancellationToken))).Select(r => r.ToRecord()).ToList(), cancellationToken);

    public Task<IReadOnlyDictionary<(string Worker, TaskState State), long>> CountByWorkerAndStateAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyDictionary<(string, TaskState), long>>(async c =>
            (await c.QueryAsync<(string Worker, string Status, long Count)>(new CommandDefinition(
                // Kept by triggers (migration 004): a GROUP BY over the whole table would grow with history.
                // PostgreSQL keeps a row per connection slot (migration 004 there): the count is their sum.
                "SELECT worker, status, CAST(sum(count) AS BIGINT) FROM task_counts GROUP BY worker, status HAVING sum(count) <> 0", cancellationToken: cancellationToken)))
                .ToDictionary(r => (r.Worker, TaskStateNames.Parse(r.Status)), r => r.Count), cancellationToken);

    /// <summary>How many queued tasks have no confirmed message yet: the relay's backlog (served by ix_tasks_unpublished).</summary>
    public Task<long> CountUnpublishedAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM tasks WHERE status = 'queued' AND published_at IS NULL", cancellationToken: cancellationToken)), cancellationToken);

    /// <summary>Moves a queued task to running for this owner. Null when there is nothing to claim (a duplicate delivery, a finished or unknown task).</summary>
    public Task<ClaimedTask?> TryClaimAsync(long id, string worker, string owner, string node, TimeSpan lease, CancellationToken cancellationToken) =>
        InWriteSessionAsync(new Writes.ClaimWrite(id, worker, owner, node, lease), cancellationToken);

    /// <summary>Whether every slot of the worker is taken, counted over every daemon (why a claim may find nothing).</summary>
    public Task<bool> IsWorkerFullAsync(string worker, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ExecuteScalarAsync<bool>(new CommandDefinition(TaskSql.WorkerFull, new { worker }, cancellationToken: cancellationToken)), cancellationToken);

    /// <summary>
    /// A queued task that has used up its attempts was started that many times and never finished: the process
    /// running it died each time. It fails here instead of killing the next daemon too.
    /// </summary>
    public Task<bool> FailExhaustedAsync(long id, CancellationToken cancellationToken)
    {
        var now = Now();
        return database.WriteAsync(async c => await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE tasks
            SET status = 'failed', finished_at = @now, error_type = 'Carrot.AttemptsExhausted',
                error_message = 'The task was started ' || attempts || ' times and never finished: the process running it died each time (crash, kill, or Environment.FailFast). It will not be started again; fix it, then enqueue it anew.'
            WHERE id = @id AND status = 'queued' AND attempts >= max_attempts
            """,
            new { id, now }, cancellationToken: cancellationToken)) == 1, cancellationToken);
    }

    /// <summary>
    /// Records how an attempt ended, once, in the task and in its attempt history. Fenced by owner and attempt: an
    /// executor whose lease was lost (the task was rescued and may run elsewhere) changes nothing and gets false.
    /// A failure with a retry due goes back to scheduled, unless a cancel was asked for meanwhile. The task's log
    /// lines are kept either way.
    /// </summary>
    public async Task<bool> CompleteAsync(ClaimedTask claim, TaskOutcome outcome, IReadOnlyList<TaskLogEntry> logs, CancellationToken cancellationToken) =>
        await CompleteAsync(claim, _ => outcome, logs, cancellationToken) is not null;

    /// <summary>As above, with the outcome decided from the row's cancel flag under the write lock (see <see cref="Lifecycle.AttemptOutcomes"/>).</summary>
    public Task<TaskOutcome?> CompleteAsync(ClaimedTask claim, Func<bool, TaskOutcome> decide, IReadOnlyList<TaskLogEntry> logs, CancellationToken cancellationToken) =>
        InWriteSessionAsync(new Writes.CompleteWrite(claim, decide, logs), cancellationToken);

    /// <summary>A runaway's code finally returned: a copy of the task may be claimed again.</summary>
    public Task ClearRunawayAsync(long id, string owner, CancellationToken cancellationToken) =>
        database.WriteAsync(c => c.ExecuteAsync(new CommandDefinition(
            "UPDATE tasks SET runaway_owner = NULL WHERE id = @id AND runaway_owner = @owner",
            new { id, owner }, cancellationToken: cancellationToken)), cancellationToken);

    /// <summary>Every ended attempt of a task, oldest first.</summary>
    public Task<IReadOnlyList<TaskAttemptRecord>> GetAttemptsAsync(long id, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<TaskAttemptRecord>>(async c =>
            (await c.QueryAsync<TaskAttemptRow>(new CommandDefinition(
                $"SELECT {TaskAttemptRow.Columns} FROM task_attempts WHERE task_id = @id ORDER BY attempt",
                new { id }, cancellationToken: cancellationToken))).Select(r => r.ToRecord()).ToList(), cancellationToken);

    /// <summary>
    /// Cancels a task in one step: a queued or scheduled one ends cancelled at once (a message still in the queue
    /// then finds nothing to claim); a running one is marked, and the daemon running it fires its token.
    /// Returns the state after the change, or null when the task is unknown or already finished.
    /// </summary>
    public Task<TaskState?> CancelAsync(long id, CancellationToken cancellationToken)
    {
        var now = Now();
        return database.WriteAsync(async c =>
        {
            var status = await c.ExecuteScalarAsync<string?>(new CommandDefinition(
                """
                UPDATE tasks
                SET status = CASE WHEN status = 'running' THEN status ELSE 'cancelled' END,
                    finished_at = CASE WHEN status = 'running' THEN finished_at ELSE @now END,
                    error_type = CASE WHEN status = 'running' THEN error_type ELSE 'Carrot.Cancelled' END,
                    error_message = CASE WHEN status = 'running' THEN error_message ELSE 'Cancelled before it started.' END,
                    cancel_requested_at = coalesce(cancel_requested_at, @now)
                WHERE id = @id AND status IN ('scheduled', 'queued', 'running')
                RETURNING status
                """,
                new { id, now }, cancellationToken: cancellationToken));
            if (status == "running")
            {
                // Its daemon fires the token as soon as this commits, not at its next poll.
                await CarrotDatabase.NotifyAsync(c, database.Sql, StoreChanges.CancelChannel, cancellationToken);
            }

            return status is null ? (TaskState?)null : TaskStateNames.Parse(status);
        }, cancellationToken);
    }

    /// <summary>Running tasks of this daemon that someone asked to cancel.</summary>
    public Task<IReadOnlyList<long>> ListCancelRequestedAsync(string owner, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<long>>(async c => (await c.QueryAsync<long>(new CommandDefinition(
            "SELECT id FROM tasks WHERE status = 'running' AND cancel_requested_at IS NOT NULL AND lease_owner = @owner",
            new { owner }, cancellationToken: cancellationToken))).ToList(), cancellationToken);

    /// <summary>
    /// Puts failed or cancelled tasks back in the queue, history kept: the attempt count goes on, and a fresh retry
    /// budget starts (<see cref="Lifecycle.RetryBudget.MaxAttempts"/>: the task's own retries, else
    /// <paramref name="defaultRetries"/>; the daemon applies the kallable's attribute when it runs). Tasks whose worker
    /// no longer exists are left as they are and counted: they would wait in a queue nobody consumes.
    /// </summary>
    public Task<RetriedTasks> RetryAsync(long? id, string? worker, int defaultRetries, CancellationToken cancellationToken)
    {
        var now = Now();
        var filter = id is null ? "status = 'failed'" : "status IN ('failed', 'cancelled') AND id = @id";
        var parameters = new { id, worker, defaultRetries, now };
        return database.WriteAsync(async c =>
        {
            var retried = (await c.QueryAsync<UnpublishedTask>(new CommandDefinition(
                $"""
                UPDATE tasks
                SET status = 'queued', queued_at = @now, published_at = NULL, run_at = NULL, started_at = NULL, finished_at = NULL,
                    node = NULL, result = NULL, error_type = NULL, error_message = NULL, stack_trace = NULL,
                    cancel_requested_at = NULL, run_alone = 0, attempt_base = attempts,
                    max_attempts = attempts + coalesce(max_retries, @defaultRetries) + 1
                WHERE {filter} AND (@worker IS NULL OR worker = @worker)
                  AND EXISTS (SELECT 1 FROM workers WHERE workers.name = tasks.worker)
                RETURNING id AS Id, worker AS Worker, priority AS Priority
                """,
                parameters, cancellationToken: cancellationToken))).ToList();
            var orphans = (await c.QueryAsync<(string Worker, int Count)>(new CommandDefinition(
                $"""
                SELECT worker, count(*) FROM tasks
                WHERE {filter} AND (@worker IS NULL OR worker = @worker)
                  AND NOT EXISTS (SELECT 1 FROM workers WHERE workers.name = tasks.worker)
                GROUP BY worker ORDER BY worker
                """,
                parameters, cancellationToken: cancellationToken))).ToList();
            return new RetriedTasks(retried, orphans.Sum(o => o.Count), orphans.Select(o => o.Worker).ToList());
        }, cancellationToken);
    }

    /// <summary>When the next scheduled task falls due; null when none is scheduled.</summary>
    public Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(async c => UnixTime.FromMs(await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT min(run_at) FROM tasks WHERE status = 'scheduled'", cancellationToken: cancellationToken))), cancellationToken);

    /// <summary>
    /// Moves due scheduled tasks to queued, unpublished, and returns them for publishing. One guarded UPDATE: of
    /// several daemons doing this at once, each task goes to exactly one.
    /// </summary>
    public Task<IReadOnlyList<UnpublishedTask>> PromoteDueAsync(int limit, CancellationToken cancellationToken)
    {
        var now = Now();
        return database.WriteAsync<IReadOnlyList<UnpublishedTask>>(async c => (await c.QueryAsync<UnpublishedTask>(new CommandDefinition(
            $"""
            UPDATE tasks SET status = 'queued', queued_at = @now, published_at = NULL
            WHERE id IN (SELECT id FROM tasks WHERE status = 'scheduled' AND run_at <= @now ORDER BY run_at LIMIT @limit {database.Sql.SkipLocked})
            RETURNING id AS Id, worker AS Worker, priority AS Priority
            """,
            new { now, limit }, cancellationToken: cancellationToken))).ToList(), cancellationToken);
    }

    /// <summary>
    /// Deletes one batch of finished tasks (with their logs and attempts) in the given state that finished before
    /// <paramref name="finishedBefore"/>. Small batches keep each write short, so producers are never held up long.
    /// </summary>
    public Task<int> PurgeBatchAsync(TaskState state, DateTimeOffset finishedBefore, int batchSize, CancellationToken cancellationToken)
    {
        if (!state.IsTerminal())
        {
            throw new ArgumentOutOfRangeException(nameof(state), state, "Only finished tasks can be purged.");
        }

        var status = state.ToName();
        var cutoff = UnixTime.ToMs(finishedBefore);
        return database.WriteAsync(c => c.ExecuteAsync(new CommandDefinition(
            $"""
            DELETE FROM tasks WHERE id IN (
                SELECT id FROM tasks WHERE status = @status AND finished_at < @cutoff ORDER BY finished_at LIMIT @batchSize {database.Sql.SkipLocked})
            """,
            new { status, cutoff, batchSize }, cancellationToken: cancellationToken)), cancellationToken);
    }

    /// <summary>
    /// Hands a task back without counting the attempt (see <see cref="Writes.ReleaseWrite"/>); the daemon's
    /// writer runs the same code.
    /// </summary>
    public Task<HandBack> ReleaseAsync(ClaimedTask claim, IReadOnlyList<TaskLogEntry> logs, bool republish, CancellationToken cancellationToken) =>
        InWriteSessionAsync(new Writes.ReleaseWrite(claim, logs, republish), cancellationToken);

    /// <summary>Queued tasks whose message the broker never confirmed, oldest first.</summary>
    public Task<IReadOnlyList<UnpublishedTask>> ListUnpublishedAsync(TimeSpan minAge, int limit, CancellationToken cancellationToken)
    {
        var cutoff = Now() - (long)minAge.TotalMilliseconds;
        return database.ReadAsync<IReadOnlyList<UnpublishedTask>>(async c =>
            (await c.QueryAsync<UnpublishedTask>(new CommandDefinition(
                """
                SELECT id AS Id, worker AS Worker, priority AS Priority FROM tasks
                WHERE status = 'queued' AND published_at IS NULL AND queued_at <= @cutoff
                ORDER BY queued_at LIMIT @limit
                """,
                new { cutoff, limit }, cancellationToken: cancellationToken))).ToList(), cancellationToken);
    }

    /// <summary>Workers that have queued tasks published before <paramref name="olderThan"/> ago: candidates for a lost message.</summary>
    public Task<IReadOnlyList<string>> ListWorkersWithStaleQueuedAsync(TimeSpan olderThan, CancellationToken cancellationToken)
    {
        var cutoff = Now() - (long)olderThan.TotalMilliseconds;
        return database.ReadAsync<IReadOnlyList<string>>(async c => (await c.QueryAsync<string>(new CommandDefinition(
            "SELECT DISTINCT worker FROM tasks WHERE status = 'queued' AND published_at < @cutoff", new { cutoff }, cancellationToken: cancellationToken))).ToList(), cancellationToken);
    }

    /// <summary>Marks a worker's long-published queued tasks unpublished, so the relay publishes them again.</summary>
    public Task<int> UnpublishStaleAsync(string worker, TimeSpan olderThan, CancellationToken cancellationToken)
    {
        var cutoff = Now() - (long)olderThan.TotalMilliseconds;
        return database.WriteAsync(c => c.ExecuteAsync(new CommandDefinition(
            "UPDATE tasks SET published_at = NULL WHERE worker = @worker AND status = 'queued' AND published_at < @cutoff",
            new { worker, cutoff }, cancellationToken: cancellationToken)), cancellationToken);
    }

    /// <summary>
    /// Running tasks whose lease ran out (their daemon stopped heartbeating) go back to queued, their attempt
    /// counted, to be published again; those out of attempts fail.
    /// </summary>
    public Task<RescuedTasks> RescueExpiredAsync(CancellationToken cancellationToken)
    {
        var now = Now();
        return database.WriteAsync(c => OrphanRescue.RescueAsync(c, database.Sql, "lease_expires_at < @now", now, new { }, cancellationToken), cancellationToken);
    }

    // Claims, outcomes and hand-backs have one implementation (Writes/), which the daemon's writer batches; here each
    // is a transaction of its own.
    private async Task<T> InWriteSessionAsync<T>(Writes.TaskWrite<T> write, CancellationToken cancellationToken)
    {
        await using var session = await database.OpenWriteSessionAsync(cancellationToken);
        return await session.WriteAsync(write, Now());
    }

    private long Now() => UnixTime.ToMs(clock.GetUtcNow());
}

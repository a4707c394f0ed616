using Carrot.Errors;
using Carrot.Records;
using Carrot.Storage.Rows;
using System.Data.Common;
using Dapper;

namespace Carrot.Storage;

/// <summary>
/// All SQL on the schedules table. Firing an occurrence (insert its task, move next_run_at on) is one write
/// transaction guarded by the old next_run_at, so with several daemons each occurrence enqueues exactly one task.
/// </summary>
internal sealed class ScheduleStore(CarrotDatabase database, TimeProvider clock)
{
    public async Task<ScheduleRecord> AddAsync(ScheduleRequest request, DateTimeOffset nextRunAt, CancellationToken cancellationToken)
    {
        var now = Now();
        var added = await database.WriteAsync(async c =>
        {
            // In the inserting transaction: a worker removed since validation gets no schedule that fires into nothing.
            await WorkerStore.RequireAsync(c, database.Sql, [request.Worker], cancellationToken);
            return await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO schedules (name, kallable, args, kwargs, worker, priority, max_retries, timeout_ms, cron, time_zone, every_ms,
                                   next_run_at, created_at, updated_at)
            VALUES (@Name, @Kallable, @Args, @Kwargs, @Worker, @Priority, @MaxRetries, @TimeoutMs, @Cron, @TimeZone, @EveryMs,
                    @next, @now, @now)
            ON CONFLICT (name) DO NOTHING
            """,
            new
            {
                request.Name, request.Kallable, request.Args, request.Kwargs, request.Worker, request.Priority, request.MaxRetries,
                TimeoutMs = (long?)request.Timeout?.TotalMilliseconds, request.Cron, request.TimeZone,
                EveryMs = (long?)request.Every?.TotalMilliseconds, next = UnixTime.ToMs(nextRunAt), now,
            },
            cancellationToken: cancellationToken));
        }, cancellationToken);
        if (added == 0)
        {
            throw new CarrotInputException($"A schedule named '{request.Name}' already exists. Remove it first with 'carrot schedules remove {request.Name}', or pick another name.");
        }

        return await GetRequiredAsync(request.Name, cancellationToken);
    }

    public Task<IReadOnlyList<ScheduleRecord>> ListAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<ScheduleRecord>>(async c =>
            (await c.QueryAsync<ScheduleRow>(new CommandDefinition($"SELECT {ScheduleRow.Columns} FROM schedules ORDER BY name", cancellationToken: cancellationToken)))
                .Select(r => r.ToRecord()).ToList(), cancellationToken);

    public Task<ScheduleRecord?> GetAsync(string name, CancellationToken cancellationToken) =>
        database.ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<ScheduleRow>(new CommandDefinition(
            $"SELECT {ScheduleRow.Columns} FROM schedules WHERE name = @name", new { name }, cancellationToken: cancellationToken)))?.ToRecord(), cancellationToken);

    public async Task<ScheduleRecord> GetRequiredAsync(string name, CancellationToken cancellationToken) =>
        await GetAsync(name, cancellationToken) ?? throw UnknownSchedule(name);

    /// <summary>Pauses, or resumes with the next occurrence given (a resumed schedule does not catch up on its pause).</summary>
    public async Task<ScheduleRecord> SetPausedAsync(string name, bool paused, DateTimeOffset? nextRunAt, CancellationToken cancellationToken)
    {
        var now = Now();
        var next = nextRunAt is { } at ? UnixTime.ToMs(at) : (long?)null;
        var changed = await database.WriteAsync(c => c.ExecuteAsync(new CommandDefinition(
            "UPDATE schedules SET paused = @paused, next_run_at = coalesce(@next, next_run_at), updated_at = @now WHERE name = @name",
            new { name, paused = paused ? 1 : 0, next, now }, cancellationToken: cancellationToken)), cancellationToken);
        if (changed == 0)
        {
            throw UnknownSchedule(name);
        }

        return await GetRequiredAsync(name, cancellationToken);
    }

    /// <summary>Removes a schedule; the tasks it enqueued stay, their link cleared.</summary>
    public async Task RemoveAsync(string name, CancellationToken cancellationToken)
    {
        var removed = await database.WriteAsync(c => c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM schedules WHERE name = @name", new { name }, cancellationToken: cancellationToken)), cancellationToken);
        if (removed == 0)
        {
            throw UnknownSchedule(name);
        }
    }

    /// <summary>When the next active schedule is due; null when there is none.</summary>
    public Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(async c => UnixTime.FromMs(await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT min(next_run_at) FROM schedules WHERE paused = 0", cancellationToken: cancellationToken))), cancellationToken);

    /// <summary>
    /// Fires every due schedule once: inserts its task (queued, linked to the schedule) and sets next_run_at to
    /// <paramref name="next"/>(schedule, now). However many occurrences were missed, one task is enqueued, and
    /// the next one is the first after now. A schedule whose worker no longer exists (removed by hand, or before
    /// removal checked schedules) enqueues nothing, since no daemon would run it: it is paused and reported.
    /// Returns the tasks to publish and the schedules paused.
    /// </summary>
    public Task<FiredSchedules> FireDueAsync(Func<ScheduleRecord, DateTimeOffset, DateTimeOffset> next, Func<ScheduleRecord, int> maxAttempts, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var nowMs = UnixTime.ToMs(now);
        return database.WriteAsync(async c =>
        {
            var due = (await c.QueryAsync<ScheduleRow>(new CommandDefinition(
                // Locked as picked (PostgreSQL): a daemon firing at the same moment skips these, and finds them moved on after.
                $"SELECT {ScheduleRow.Columns} FROM schedules WHERE paused = 0 AND next_run_at <= @nowMs ORDER BY next_run_at LIMIT 100 {database.Sql.SkipLocked}",
                new { nowMs }, cancellationToken: cancellationToken))).Select(r => r.ToRecord()).ToList();
            var fired = new List<UnpublishedTask>(due.Count);
            var paused = new List<ScheduleRecord>();
            foreach (var schedule in due)
            {
                if (!await WorkerStore.ExistsAsync(c, database.Sql, schedule.Worker, cancellationToken))
                {
                    await c.ExecuteAsync(new CommandDefinition(
                        "UPDATE schedules SET paused = 1, updated_at = @nowMs WHERE id = @Id", new { nowMs, schedule.Id }, cancellationToken: cancellationToken));
                    paused.Add(schedule);
                    continue;
                }

                DateTimeOffset following;
                try
                {
                    following = next(schedule, now);
                }
                catch (CarrotInputException)
                {
                    // A cron with no future occurrence (e.g. a date long past) fires this last time and pauses.
                    following = DateTimeOffset.MaxValue;
                }

                var id = await InsertTaskAsync(c, schedule, maxAttempts(schedule), schedule.NextRunAt, nowMs, cancellationToken);
                await c.ExecuteAsync(new CommandDefinition(
                    """
                    UPDATE schedules SET next_run_at = @following, last_run_at = @nowMs, last_task_id = @taskId,
                                         paused = CASE WHEN @following = @max THEN 1 ELSE paused END
                    WHERE id = @Id
                    """,
                    // Names that differ in more than case: Npgsql matches parameter names case-insensitively.
                    new { following = following == DateTimeOffset.MaxValue ? long.MaxValue : UnixTime.ToMs(following), max = long.MaxValue, nowMs, taskId = id, schedule.Id },
                    cancellationToken: cancellationToken));
                fired.Add(new UnpublishedTask(id, schedule.Worker, schedule.Priority));
            }

            return new FiredSchedules(fired, paused);
        }, cancellationToken);
    }

    /// <summary>Enqueues one task from the schedule now, leaving its next occurrence alone.</summary>
    public async Task<UnpublishedTask> RunNowAsync(ScheduleRecord schedule, int maxAttempts, CancellationToken cancellationToken)
    {
        var now = Now();
        var id = await database.WriteAsync(async c =>
        {
            if (!await WorkerStore.ExistsAsync(c, database.Sql, schedule.Worker, cancellationToken))
            {
                throw WithoutWorker(schedule);
            }

            var taskId = await InsertTaskAsync(c, schedule, maxAttempts, occurrence: null, now, cancellationToken);
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE schedules SET last_run_at = @now, last_task_id = @taskId WHERE id = @Id",
                new { now, taskId, schedule.Id }, cancellationToken: cancellationToken));
            return taskId;
        }, cancellationToken);
        return new UnpublishedTask(id, schedule.Worker, schedule.Priority);
    }

    /// <summary>A schedule that names a worker that no longer exists: its tasks would wait in a queue nobody consumes.</summary>
    public static CarrotInputException WithoutWorker(ScheduleRecord schedule) =>
        new($"Schedule '{schedule.Name}' runs its tasks on worker '{schedule.Worker}', which no longer exists. Add the worker again ('carrot workers add {schedule.Worker}'), or remove the schedule.");

    public static CarrotInputException UnknownSchedule(string name) =>
        new($"There is no schedule named '{InputEcho.Shorten(name)}'. See 'carrot schedules list'.");

    // The occurrence a task was fired for is its run_at (already past, so it is queued at once): it shows when it was due.
    private static Task<long> InsertTaskAsync(DbConnection c, ScheduleRecord schedule, int maxAttempts, DateTimeOffset? occurrence, long now, CancellationToken cancellationToken) =>
        TaskStore.InsertAsync(c, new NewTask(schedule.Kallable, schedule.Args, schedule.Kwargs, schedule.Worker, schedule.Priority, maxAttempts)
        {
            RunAt = occurrence,
            MaxRetries = schedule.MaxRetries,
            TimeoutMs = (long?)schedule.Timeout?.TotalMilliseconds,
            ScheduleId = schedule.Id,
        }, now, cancellationToken);

    private long Now() => UnixTime.ToMs(clock.GetUtcNow());
}

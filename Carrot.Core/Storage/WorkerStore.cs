using Carrot.Client;
using Carrot.Errors;
using Carrot.Records;
using Carrot.Storage.Rows;
using System.Data.Common;
using Dapper;

namespace Carrot.Storage;

/// <summary>All SQL on the workers table. Daemons poll it, so a change here reaches running daemons without a restart.</summary>
internal sealed class WorkerStore(CarrotDatabase database, TimeProvider clock)
{
    public Task<IReadOnlyList<WorkerRecord>> ListAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<WorkerRecord>>(async c =>
            (await c.QueryAsync<WorkerRow>(new CommandDefinition($"SELECT {WorkerRow.Columns} FROM workers ORDER BY name", cancellationToken: cancellationToken)))
                .Select(r => r.ToRecord()).ToList(), cancellationToken);

    public Task<WorkerRecord?> GetAsync(string name, CancellationToken cancellationToken) =>
        database.ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<WorkerRow>(new CommandDefinition(
            $"SELECT {WorkerRow.Columns} FROM workers WHERE name = @name", new { name }, cancellationToken: cancellationToken)))?.ToRecord(), cancellationToken);

    public Task<WorkerRecord> AddAsync(string name, int concurrency, string description, CancellationToken cancellationToken) =>
        AddAsync(name, concurrency, description, WorkerIsolationNames.Default, cancellationToken);

    public Task<WorkerRecord> AddAsync(string name, int concurrency, string description, WorkerIsolation isolation, CancellationToken cancellationToken) =>
        AddAsync(name, concurrency, description, isolation, runnerMaxTasks: null, runnerMaxMemoryMiB: null, cancellationToken);

    /// <summary>Adds a worker; null runner limits mean the daemon's defaults.</summary>
    public async Task<WorkerRecord> AddAsync(string name, int concurrency, string description, WorkerIsolation isolation, int? runnerMaxTasks, int? runnerMaxMemoryMiB, CancellationToken cancellationToken)
    {
        var now = UnixTime.ToMs(clock.GetUtcNow());
        var isolationName = isolation.ToName();
        var added = await ChangeAsync(c => c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO workers (name, concurrency, description, created_at, updated_at, isolation, runner_max_tasks, runner_max_memory_mib)
            VALUES (@name, @concurrency, @description, @now, @now, @isolationName, @runnerMaxTasks, @runnerMaxMemoryMiB) ON CONFLICT (name) DO NOTHING
            """,
            new { name, concurrency, description, now, isolationName, runnerMaxTasks, runnerMaxMemoryMiB }, cancellationToken: cancellationToken)), cancellationToken);
        if (added == 0)
        {
            throw new CarrotInputException($"A worker named '{name}' already exists. Change it with 'carrot workers update {name}'.");
        }

        return (await GetAsync(name, cancellationToken))!;
    }

    public Task<WorkerRecord> UpdateAsync(string name, int? concurrency, string? description, CancellationToken cancellationToken) =>
        UpdateAsync(name, concurrency, description, isolation: null, cancellationToken);

    public Task<WorkerRecord> UpdateAsync(string name, int? concurrency, string? description, WorkerIsolation? isolation, CancellationToken cancellationToken) =>
        UpdateAsync(name, concurrency, description, isolation, runnerMaxTasks: null, runnerMaxMemoryMiB: null, cancellationToken);

    /// <summary>
    /// Changes what is given (null leaves it; a runner limit can also go back to the daemon's default); running daemons
    /// follow, an isolation change for tasks that start after it, a runner limit for runners from then on.
    /// </summary>
    public async Task<WorkerRecord> UpdateAsync(
        string name, int? concurrency, string? description, WorkerIsolation? isolation, RunnerLimitChange? runnerMaxTasks, RunnerLimitChange? runnerMaxMemoryMiB, CancellationToken cancellationToken)
    {
        var now = UnixTime.ToMs(clock.GetUtcNow());
        var isolationName = isolation?.ToName();
        // A flag per limit: NULL is a value to store (the daemon's default), so "leave it" cannot be a NULL too.
        var parameters = new
        {
            name, concurrency, description, now, isolationName,
            setMaxTasks = runnerMaxTasks is null ? 0 : 1, maxTasks = runnerMaxTasks?.Value,
            setMaxMemory = runnerMaxMemoryMiB is null ? 0 : 1, maxMemory = runnerMaxMemoryMiB?.Value,
        };
        var changed = await ChangeAsync(c => c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE workers SET concurrency = coalesce(@concurrency, concurrency), description = coalesce(@description, description),
                isolation = coalesce(@isolationName, isolation),
                runner_max_tasks = CASE WHEN @setMaxTasks = 1 THEN @maxTasks ELSE runner_max_tasks END,
                runner_max_memory_mib = CASE WHEN @setMaxMemory = 1 THEN @maxMemory ELSE runner_max_memory_mib END,
                updated_at = @now
            WHERE name = @name
            """,
            parameters, cancellationToken: cancellationToken)), cancellationToken);
        if (changed == 0)
        {
            throw UnknownWorker(name);
        }

        return (await GetAsync(name, cancellationToken))!;
    }

    /// <summary>A paused worker starts nothing new; its running tasks finish and its queue keeps filling.</summary>
    public async Task<WorkerRecord> SetPausedAsync(string name, bool paused, CancellationToken cancellationToken)
    {
        var now = UnixTime.ToMs(clock.GetUtcNow());
        var changed = await ChangeAsync(c => c.ExecuteAsync(new CommandDefinition(
            "UPDATE workers SET paused = @paused, updated_at = @now WHERE name = @name",
            new { name, paused = paused ? 1 : 0, now }, cancellationToken: cancellationToken)), cancellationToken);
        if (changed == 0)
        {
            throw UnknownWorker(name);
        }

        return (await GetAsync(name, cancellationToken))!;
    }

    /// <summary>Removes a worker that has nothing queued or running; its finished tasks stay for the record.</summary>
    public async Task RemoveAsync(string name, CancellationToken cancellationToken)
    {
        if (name == WorkerRecord.DefaultName)
        {
            throw new CarrotInputException("The 'default' worker cannot be removed; it runs every task that names no worker. Change its concurrency with 'carrot workers update default --concurrency N'.");
        }

        // One transaction: a task or a schedule added meanwhile either blocks the removal or sees the worker gone.
        var (exists, pending, schedules) = await database.WriteAsync(async c =>
        {
            // The row first (PostgreSQL): an enqueue holding it shared commits before this counts, or sees it gone.
            await c.ExecuteAsync(new CommandDefinition(
                $"SELECT 1 FROM workers WHERE name = @name {database.Sql.ForUpdate}", new { name }, cancellationToken: cancellationToken));
            var pendingCount = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT count(*) FROM tasks WHERE worker = @name AND status IN ('scheduled', 'queued', 'running')", new { name }, cancellationToken: cancellationToken));
            var scheduleNames = (await c.QueryAsync<string>(new CommandDefinition(
                "SELECT name FROM schedules WHERE worker = @name ORDER BY name", new { name }, cancellationToken: cancellationToken))).ToList();
            if (pendingCount > 0 || scheduleNames.Count > 0)
            {
                return (await ExistsAsync(c, database.Sql, name, cancellationToken), pendingCount, scheduleNames);
            }

            var deleted = await c.ExecuteAsync(new CommandDefinition("DELETE FROM workers WHERE name = @name", new { name }, cancellationToken: cancellationToken));
            if (deleted > 0)
            {
                await CarrotDatabase.NotifyAsync(c, database.Sql, StoreChanges.WorkersChannel, cancellationToken);
            }

            return (deleted > 0, 0L, scheduleNames);
        }, cancellationToken);

        if (!exists)
        {
            throw UnknownWorker(name);
        }

        if (pending > 0)
        {
            throw new CarrotInputException($"Worker '{InputEcho.Shorten(name)}' still has {pending} scheduled, queued or running task(s); it was not removed. Let them finish (or cancel them) first.");
        }

        if (schedules.Count > 0)
        {
            var named = string.Join(", ", schedules.Take(5)) + (schedules.Count > 5 ? $" and {schedules.Count - 5} more" : "");
            throw new CarrotInputException($"Worker '{name}' still runs the tasks of {schedules.Count} schedule(s) ({named}); it was not removed, since they would fire into a queue nobody consumes. Remove them first ('carrot schedules remove NAME').");
        }
    }

    /// <summary>A one-statement change of the workers table; when it changed a row, running daemons are told at commit.</summary>
    private Task<int> ChangeAsync(Func<DbConnection, Task<int>> write, CancellationToken cancellationToken) =>
        database.WriteAsync(async c =>
        {
            var changed = await write(c);
            if (changed > 0)
            {
                await CarrotDatabase.NotifyAsync(c, database.Sql, StoreChanges.WorkersChannel, cancellationToken);
            }

            return changed;
        }, cancellationToken);

    /// <summary>
    /// Whether the worker exists, read inside the caller's transaction so that the answer holds until it commits (the
    /// row is held shared on PostgreSQL, so a concurrent removal waits for the caller's commit).
    /// </summary>
    internal static async Task<bool> ExistsAsync(DbConnection connection, SqlDialect sql, string name, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            $"SELECT 1 FROM workers WHERE name = @name {sql.ForShare}", new { name }, cancellationToken: cancellationToken)) is not null;

    /// <summary>Throws <see cref="UnknownWorker"/> unless every named worker exists, inside the caller's transaction (held as in <see cref="ExistsAsync"/>).</summary>
    internal static async Task RequireAsync(DbConnection connection, SqlDialect sql, IReadOnlyList<string> workers, CancellationToken cancellationToken)
    {
        // Only the workers named: this runs inside every enqueue's write transaction.
        var names = workers.Distinct(StringComparer.Ordinal).ToList();
        var known = (await connection.QueryAsync<string>(new CommandDefinition(
                $"SELECT name FROM workers WHERE name {sql.InList("@names")} {sql.ForShare}",
                new { names }, cancellationToken: cancellationToken)))
            .ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < workers.Count; i++)
        {
            if (!known.Contains(workers[i]))
            {
                throw workers.Count == 1 ? UnknownWorker(workers[i]) : new CarrotInputException(i, UnknownWorker(workers[i]).Message);
            }
        }
    }

    public static CarrotInputException UnknownWorker(string name) =>
        new($"There is no worker named '{InputEcho.Shorten(name)}'. Create it with 'carrot workers add {InputEcho.Shorten(name)}', or see 'carrot workers list'.");
}

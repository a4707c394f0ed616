using System.Data.Common;
using Carrot.Records;
using Carrot.Storage.Rows;
using Carrot.Tasks;
using Dapper;

namespace Carrot.Storage.Monitoring;

/// <summary>
/// The reads the web monitor needs beyond the CLI's: keyset pages of tasks under a filter, counts for a bulk action's
/// confirmation, the ids a bulk action works through, a running task's new log lines, and the deletion of chosen
/// finished tasks (the charts' counts are <see cref="ThroughputStore"/>'s). Every other read and every action goes
/// through <c>CarrotClient</c>. Every read here is bounded, whatever the table holds: a filter an index serves reads a
/// page's rows from it; a filter no index serves (<see cref="TaskFilterSql.NeedsWindow"/>) is searched
/// <see cref="SearchWindow"/> ids at a time, and says how far it searched.
/// </summary>
internal sealed class MonitorStore(CarrotDatabase database, long searchWindow = MonitorStore.DefaultSearchWindow)
{
    /// <summary>How many ids one page of a search (or another filter no index serves) looks at, at most.</summary>
    public const long DefaultSearchWindow = 10_000;

    /// <summary>How many ids one windowed read looks at, at most (<see cref="DefaultSearchWindow"/> but in tests).</summary>
    public long SearchWindow { get; } = searchWindow;

    /// <summary>Up to <paramref name="limit"/> tasks under the filter with an id below <paramref name="beforeId"/>, newest first.</summary>
    public Task<FilteredPage<TaskRecord>> PageAsync(MonitorTaskFilter filter, long? beforeId, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync(async c =>
        {
            var (rows, next, searched) = await ReadPageAsync<TaskRow>(c, $"SELECT {TaskRow.Columns}", filter, beforeId, limit, r => r.Id, cancellationToken);
            return new FilteredPage<TaskRecord>(rows.Select(r => r.ToRecord()).ToList(), next, searched);
        }, cancellationToken);

    /// <summary>The ids of the next batch under the filter below <paramref name="beforeId"/>, newest first (for bulk actions).</summary>
    public Task<FilteredPage<long>> IdsAsync(MonitorTaskFilter filter, long? beforeId, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync(async c =>
        {
            var (rows, next, searched) = await ReadPageAsync<long>(c, "SELECT id", filter, beforeId, limit, id => id, cancellationToken);
            return new FilteredPage<long>(rows, next, searched);
        }, cancellationToken);

    /// <summary>
    /// How many tasks the filter matches: from the trigger-kept counts when it names only a state and a worker, through
    /// the filter's index when another one serves it (a schedule), else over the newest <see cref="SearchWindow"/> ids.
    /// </summary>
    public Task<FilterCount> CountAsync(MonitorTaskFilter filter, CancellationToken cancellationToken) =>
        database.ReadAsync(async c =>
        {
            var (conditions, parameters) = TaskFilterSql.Build(filter);
            if (TaskFilterSql.CountsServe(filter))
            {
                // status and worker are task_counts' columns too; PostgreSQL keeps a row per connection slot, summed.
                return new FilterCount(await c.ExecuteScalarAsync<long>(new CommandDefinition(
                    $"SELECT CAST(coalesce(sum(count), 0) AS BIGINT) FROM task_counts {Where(conditions)}", parameters, cancellationToken: cancellationToken)), null);
            }

            long? searchedDownTo = null;
            if (TaskFilterSql.NeedsWindow(filter))
            {
                if (await WindowAsync(c, null, cancellationToken) is not { } window)
                {
                    return new FilterCount(0, null);
                }

                AddWindow(conditions, parameters, window);
                searchedDownTo = window.MoreBelow ? window.From : null;
            }

            return new FilterCount(await c.ExecuteScalarAsync<long>(new CommandDefinition(
                $"SELECT count(*) FROM tasks {Where(conditions)}", parameters, cancellationToken: cancellationToken)), searchedDownTo);
        }, cancellationToken);

    /// <summary>Tasks in each state, over every worker, from the trigger-kept counts (as cheap at 1,000,000 rows as at 10).</summary>
    public Task<IReadOnlyDictionary<TaskState, long>> CountByStateAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyDictionary<TaskState, long>>(async c =>
        {
            var rows = await c.QueryAsync<(string Status, long Count)>(new CommandDefinition(
                "SELECT status, CAST(sum(count) AS BIGINT) FROM task_counts GROUP BY status", cancellationToken: cancellationToken));
            var counts = Enum.GetValues<TaskState>().ToDictionary(s => s, _ => 0L);
            foreach (var (status, count) in rows)
            {
                counts[TaskStateNames.Parse(status)] = count;
            }

            return counts;
        }, cancellationToken);

    /// <summary>The task's log lines after the first <paramref name="skip"/> (every attempt's, in order): what a live tail has not shown yet.</summary>
    public Task<IReadOnlyList<TaskLogLine>> LogsFromAsync(long id, int skip, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<TaskLogLine>>(async c =>
            (await c.QueryAsync<TaskLogRow>(new CommandDefinition(
                $"SELECT {TaskSql.LogColumns} FROM task_logs WHERE task_id = @id ORDER BY attempt, seq LIMIT 1000 OFFSET @skip",
                new { id, skip = (long)skip }, cancellationToken: cancellationToken))).Select(r => r.ToRecord()).ToList(), cancellationToken);

    /// <summary>
    /// Deletes those of <paramref name="ids"/> that are finished (succeeded, failed or cancelled), as <c>tasks purge</c>
    /// deletes only finished tasks; their attempts and log lines go with them. Returns the ids deleted.
    /// </summary>
    public Task<IReadOnlyList<long>> DeleteFinishedAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken) =>
        ids.Count == 0
            ? Task.FromResult<IReadOnlyList<long>>([])
            : database.WriteAsync<IReadOnlyList<long>>(async c =>
                (await c.QueryAsync<long>(new CommandDefinition(
                    $"DELETE FROM tasks WHERE id {database.Sql.InList("@ids")} AND status IN ('succeeded', 'failed', 'cancelled') RETURNING id",
                    new { ids = ids.ToArray() }, cancellationToken: cancellationToken))).ToList(), cancellationToken);

    // One row more than asked for says whether an older page exists, without counting.
    private async Task<(IReadOnlyList<T> Rows, long? Next, long? SearchedDownTo)> ReadPageAsync<T>(DbConnection c, string select,
        MonitorTaskFilter filter, long? beforeId, int limit, Func<T, long> id, CancellationToken cancellationToken)
    {
        var (conditions, parameters) = TaskFilterSql.Build(filter);
        IdWindow? window = null;
        if (TaskFilterSql.NeedsWindow(filter))
        {
            window = await WindowAsync(c, beforeId, cancellationToken);
            if (window is null)
            {
                return ([], null, null);
            }

            AddWindow(conditions, parameters, window);
        }
        else if (beforeId is { } before)
        {
            conditions.Add("id < @pBefore");
            parameters.Add("pBefore", before);
        }

        parameters.Add("pLimit", (long)limit + 1);
        var rows = (await c.QueryAsync<T>(new CommandDefinition(
            $"{select} FROM tasks {Where(conditions)} ORDER BY id DESC LIMIT @pLimit", parameters, cancellationToken: cancellationToken))).ToList();
        if (rows.Count > limit)
        {
            rows.RemoveAt(limit);
            var last = id(rows[^1]);
            return (rows, last, window is null ? null : last);
        }

        return window is null ? (rows, null, null) : (rows, window.MoreBelow ? window.From : null, window.From);
    }

    /// <summary>The ids a windowed page looks at: below <paramref name="beforeId"/> (or the newest), at most <see cref="SearchWindow"/>; null when the table is empty.</summary>
    private async Task<IdWindow?> WindowAsync(DbConnection c, long? beforeId, CancellationToken cancellationToken)
    {
        // Two scalar subqueries, each a single min or max: both engines answer them from the primary key's ends.
        var (min, max) = await c.QuerySingleAsync<(long? Min, long? Max)>(new CommandDefinition(
            "SELECT (SELECT min(id) FROM tasks), (SELECT max(id) FROM tasks)", cancellationToken: cancellationToken));
        if (min is not { } lowest || max is not { } highest)
        {
            return null;
        }

        var below = Math.Min(beforeId ?? long.MaxValue, highest + 1);
        var from = Math.Max(lowest, below - SearchWindow);
        return new IdWindow(below, from, from > lowest);
    }

    private static void AddWindow(List<string> conditions, DynamicParameters parameters, IdWindow window)
    {
        conditions.Add("id < @pBefore AND id >= @pFrom");
        parameters.Add("pBefore", window.Below);
        parameters.Add("pFrom", window.From);
    }

    private static string Where(List<string> conditions) => conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);

    /// <summary>Ids from <paramref name="From"/> (inclusive) to <paramref name="Below"/> (exclusive); <paramref name="MoreBelow"/> when older tasks remain.</summary>
    private sealed record IdWindow(long Below, long From, bool MoreBelow);
}

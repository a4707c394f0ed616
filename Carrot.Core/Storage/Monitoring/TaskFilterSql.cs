using Carrot.Tasks;
using Dapper;

namespace Carrot.Storage.Monitoring;

/// <summary>
/// The WHERE clause of a <see cref="MonitorTaskFilter"/>, the same on both engines. The kallable prefix is compared with
/// substr rather than LIKE (whose case rules differ between the engines, and whose wildcards a name could contain); the
/// search uses lower(…) LIKE with its wildcards escaped, so it is case-insensitive (for ASCII) on both.
/// </summary>
internal static class TaskFilterSql
{
    /// <summary>
    /// Whether the filter has a condition no index serves (a search, a kallable prefix, a creation time): such a filter
    /// is searched a window of ids at a time, since a condition that matches nothing would otherwise read every row.
    /// State, worker and schedule are served by ix_tasks_status, ix_tasks_worker_id and ix_tasks_schedule (all in id order).
    /// </summary>
    public static bool NeedsWindow(MonitorTaskFilter filter) =>
        !string.IsNullOrEmpty(filter.Search) || !string.IsNullOrEmpty(filter.KallablePrefix) || filter.CreatedFrom is not null || filter.CreatedTo is not null;

    /// <summary>Whether the filter names nothing but a state and a worker, so the trigger-kept task_counts can count it.</summary>
    public static bool CountsServe(MonitorTaskFilter filter) => !NeedsWindow(filter) && filter.ScheduleId is null;

    public static (List<string> Conditions, DynamicParameters Parameters) Build(MonitorTaskFilter filter)
    {
        var conditions = new List<string>();
        var parameters = new DynamicParameters();
        if (filter.State is { } state)
        {
            conditions.Add("status = @fState");
            parameters.Add("fState", state.ToName());
        }

        if (!string.IsNullOrEmpty(filter.Worker))
        {
            conditions.Add("worker = @fWorker");
            parameters.Add("fWorker", filter.Worker);
        }

        if (!string.IsNullOrEmpty(filter.KallablePrefix))
        {
            conditions.Add("substr(kallable, 1, @fPrefixLength) = @fPrefix");
            parameters.Add("fPrefix", filter.KallablePrefix);
            parameters.Add("fPrefixLength", filter.KallablePrefix.Length);
        }

        if (filter.ScheduleId is { } schedule)
        {
            conditions.Add("schedule_id = @fSchedule");
            parameters.Add("fSchedule", schedule);
        }

        if (filter.CreatedFrom is { } from)
        {
            conditions.Add("created_at >= @fFrom");
            parameters.Add("fFrom", UnixTime.ToMs(from));
        }

        if (filter.CreatedTo is { } to)
        {
            conditions.Add("created_at < @fTo");
            parameters.Add("fTo", UnixTime.ToMs(to));
        }

        if (!string.IsNullOrEmpty(filter.Search))
        {
            conditions.Add("""
                (lower(args) LIKE @fSearch ESCAPE '!' OR lower(kwargs) LIKE @fSearch ESCAPE '!'
                 OR lower(coalesce(error_message, '')) LIKE @fSearch ESCAPE '!' OR lower(coalesce(error_type, '')) LIKE @fSearch ESCAPE '!')
                """);
            parameters.Add("fSearch", "%" + Escape(filter.Search.ToLowerInvariant()) + "%");
        }

        return (conditions, parameters);
    }

    private static string Escape(string text) => text.Replace("!", "!!", StringComparison.Ordinal)
        .Replace("%", "!%", StringComparison.Ordinal).Replace("_", "!_", StringComparison.Ordinal);
}

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

using System.Globalization;
using Carrot.Errors;
using Carrot.Storage.Monitoring;
using Carrot.Tasks;
using Microsoft.AspNetCore.Http;

namespace Carrot.Monitor.Data;

/// <summary>
/// The task filter as the page's form and the API's query string spell it: state, worker, kallable (a prefix),
/// schedule (an id), from/to (UTC, ISO 8601), q (a substring of args, kwargs or the error). Bad values are one clear error.
/// </summary>
internal static class TaskFilterQuery
{
    public static readonly string[] Names = ["state", "worker", "kallable", "schedule", "from", "to", "q"];

    public static MonitorTaskFilter Parse(Func<string, string?> value)
    {
        TaskState? state = null;
        if (Clean(value("state")) is { } stateText)
        {
            state = TaskStateNames.TryParse(stateText, out var parsed) ? parsed
                : throw new CarrotInputException($"'{stateText}' is not a task state: use scheduled, queued, running, succeeded, failed or cancelled.");
        }

        long? schedule = null;
        if (Clean(value("schedule")) is { } scheduleText)
        {
            schedule = long.TryParse(scheduleText, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id
                : throw new CarrotInputException($"schedule must be a schedule's id (a whole number), not '{scheduleText}'.");
        }

        return new MonitorTaskFilter
        {
            State = state,
            Worker = Clean(value("worker")),
            KallablePrefix = Clean(value("kallable")),
            ScheduleId = schedule,
            CreatedFrom = Time(value("from"), "from"),
            CreatedTo = Time(value("to"), "to"),
            Search = Clean(value("q")),
        };
    }

    public static MonitorTaskFilter Parse(IQueryCollection query) => Parse(name => query[name].ToString());

    public static MonitorTaskFilter Parse(IFormCollection form) => Parse(name => form[name].ToString());

    /// <summary>The filter's fields as they were given, for links and hidden fields that carry it on.</summary>
    public static (string Name, string? Value)[] Echo(Func<string, string?> value) => Names.Select(n => (n, Clean(value(n)))).ToArray();

    public static string Describe(MonitorTaskFilter filter)
    {
        var parts = new List<string>();
        if (filter.State is { } state) { parts.Add($"state {state.ToName()}"); }
        if (filter.Worker is { } worker) { parts.Add($"worker {worker}"); }
        if (filter.KallablePrefix is { } prefix) { parts.Add($"kallable {prefix}…"); }
        if (filter.ScheduleId is { } schedule) { parts.Add($"schedule {schedule}"); }
        if (filter.CreatedFrom is { } from) { parts.Add($"created from {from:yyyy-MM-dd HH:mm}"); }
        if (filter.CreatedTo is { } to) { parts.Add($"created before {to:yyyy-MM-dd HH:mm}"); }
        if (filter.Search is { } q) { parts.Add($"containing \"{q}\""); }
        return parts.Count == 0 ? "all tasks" : string.Join(", ", parts);
    }

    private static DateTimeOffset? Time(string? text, string name)
    {
        if (Clean(text) is not { } clean)
        {
            return null;
        }

        return DateTimeOffset.TryParse(clean, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at
            : throw new CarrotInputException($"{name} must be a UTC time such as 2026-12-01T09:00 or 2026-12-01T09:00:00Z, not '{text}'.");
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

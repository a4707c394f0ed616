using System.Text.Json;
using Carrot.Records;

namespace Carrot.Cli.Output.Views;

/// <summary>A recurring schedule in <c>schedules list|show --json</c>.</summary>
internal sealed record ScheduleView(
    string Name,
    string Kallable,
    JsonElement? Args,
    JsonElement? Kwargs,
    string Worker,
    int Priority,
    int? MaxRetries,
    double? TimeoutSeconds,
    string? Cron,
    string? TimeZone,
    double? EverySeconds,
    bool Paused,
    DateTimeOffset NextRunAt,
    DateTimeOffset? LastRunAt,
    long? LastTaskId,
    DateTimeOffset CreatedAt)
{
    public static ScheduleView From(ScheduleRecord schedule) => new(
        schedule.Name,
        schedule.Kallable,
        RawJson.Parse(schedule.Args),
        RawJson.Parse(schedule.Kwargs),
        schedule.Worker,
        schedule.Priority,
        schedule.MaxRetries,
        schedule.Timeout?.TotalSeconds,
        schedule.Cron,
        schedule.TimeZone,
        schedule.Every?.TotalSeconds,
        schedule.Paused,
        schedule.NextRunAt,
        schedule.LastRunAt,
        schedule.LastTaskId,
        schedule.CreatedAt);
}

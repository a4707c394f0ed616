using System.Globalization;
using Carrot.Logging;
using Carrot.Tasks;
using Spectre.Console;

namespace Carrot.Cli.Output;

/// <summary>How values look in tables: local times, short durations, coloured states.</summary>
internal static class DisplayFormat
{
    public const string None = "-";

    /// <summary>Local time, sortable and unambiguous: <c>yyyy-MM-dd HH:mm:ss</c>.</summary>
    public static string Time(DateTimeOffset? value) =>
        value is { } v ? v.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : None;

    public static string Duration(TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            // Clocks of different hosts may disagree a little; a negative run time would only confuse.
            value = TimeSpan.Zero;
        }

        return value.TotalSeconds switch
        {
            < 1 => $"{value.TotalMilliseconds:0} ms",
            < 60 => $"{value.TotalSeconds:0.0} s",
            < 3600 => $"{value.Minutes}m {value.Seconds:00}s",
            < 86400 => $"{value.Hours}h {value.Minutes:00}m",
            _ => $"{(int)value.TotalDays}d {value.Hours:00}h",
        };
    }

    /// <summary>Ends a message with a full stop, so text can follow it on the same line.</summary>
    public static string Sentence(string? text)
    {
        var trimmed = (text ?? "").TrimEnd();
        return trimmed.Length == 0 || trimmed[^1] is '.' or '!' or '?' ? trimmed : trimmed + ".";
    }

    public static string Ago(DateTimeOffset value, DateTimeOffset now) => $"{Duration(now - value)} ago";

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static Style StateStyle(TaskState state) => state switch
    {
        TaskState.Succeeded => new Style(Color.Green),
        TaskState.Failed => new Style(Color.Red),
        TaskState.Running => new Style(Color.Yellow),
        TaskState.Cancelled or TaskState.Scheduled => new Style(Color.Grey),
        _ => Style.Plain,
    };

    public static Text State(TaskState state) => new(state.ToName(), StateStyle(state));

    public static string Level(TaskLogLevel level) => level switch
    {
        TaskLogLevel.Debug => "debug",
        TaskLogLevel.Information => "info",
        TaskLogLevel.Warning => "warning",
        TaskLogLevel.Error => "error",
        _ => level.ToString(),
    };

    public static Style LevelStyle(TaskLogLevel level) => level switch
    {
        TaskLogLevel.Error => new Style(Color.Red),
        TaskLogLevel.Warning => new Style(Color.Yellow),
        TaskLogLevel.Debug => new Style(Color.Grey),
        _ => Style.Plain,
    };
}

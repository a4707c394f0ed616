using System.CommandLine;
using Carrot.Tasks;

namespace Carrot.Cli.Parsing;

/// <summary>Options that several commands share, so they are spelled and validated the same way everywhere.</summary>
internal static class CliOptions
{
    private static readonly string StateNames = string.Join(", ", Enum.GetValues<TaskState>().Select(s => s.ToName()));

    public static Option<bool> Json() => new("--json")
    {
        Description = "Write JSON to stdout instead of a table (camelCase names; nothing else goes to stdout).",
    };

    /// <summary>
    /// A duration such as 30s or 5m; null when not given (the caller applies its default, so help can show "60s"
    /// rather than "00:01:00"). A malformed value is a parse error, so it exits 2 before anything runs.
    /// </summary>
    public static Option<TimeSpan?> Duration(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "DURATION",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
            if (DurationParser.TryParse(text, out var duration))
            {
                return duration;
            }

            result.AddError($"'{text}' is not a duration for {name}; use {DurationParser.Help}.");
            return null;
        },
    };

    /// <summary>
    /// A point in time in ISO 8601 with its zone (Z or an offset): a time without one would silently depend on the
    /// machine's zone, which differs between the CLI and the daemon's server.
    /// </summary>
    public static Option<DateTimeOffset?> Instant(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "TIME",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            var hasZone = text.EndsWith('Z') || text.EndsWith('z') || System.Text.RegularExpressions.Regex.IsMatch(text, @"[+-]\d\d:?\d\d\z");
            if (hasZone && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var value))
            {
                return value;
            }

            result.AddError($"'{text}' is not a time for {name}; use ISO 8601 with a zone, e.g. 2026-12-01T09:00:00Z or 2026-12-01T10:00:00+01:00.");
            return null;
        },
    };

    /// <summary>A task state by its lower-case name; anything else is a parse error that lists the valid names.</summary>
    public static Option<TaskState?> State(string name, string description)
    {
        var option = new Option<TaskState?>(name)
        {
            Description = $"{description} One of: {StateNames}.",
            HelpName = "STATE",
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
                if (TaskStateNames.TryParse(text, out var state))
                {
                    return state;
                }

                result.AddError($"'{text}' is not a task state; use one of: {StateNames}.");
                return null;
            },
        };
        option.CompletionSources.Add(Enum.GetValues<TaskState>().Select(s => s.ToName()).ToArray());
        return option;
    }

    /// <summary>An int option that must be at least <paramref name="minimum"/>.</summary>
    public static Option<int> AtLeast(string name, string description, int minimum, int defaultValue)
    {
        var option = new Option<int>(name) { Description = description, HelpName = "N", DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < minimum)
            {
                result.AddError($"{name} must be at least {minimum}.");
            }
        });
        return option;
    }
}

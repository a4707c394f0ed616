using System.CommandLine;
using Carrot.Client;
using Carrot.Configuration;
using Carrot.Errors;
using Carrot.Lifecycle;
using Carrot.Messaging;
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
    /// A duration such as 30s or 5m, at most <paramref name="maximum"/>; null when not given (the caller applies its
    /// default, so help can show "60s" rather than "00:01:00"). A malformed or too long value is a parse error, so it
    /// exits 2 before anything runs, with one line that names the option and the limit.
    /// </summary>
    public static Option<TimeSpan?> Duration(string name, string description, TimeSpan maximum, string maximumText) => new(name)
    {
        Description = description,
        HelpName = "DURATION",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
            if (!DurationParser.TryParse(text, out var duration))
            {
                result.AddError($"'{InputEcho.Shorten(text)}' is not a duration for {name}; use {DurationParser.Help}.");
                return null;
            }

            if (duration > maximum)
            {
                result.AddError($"'{InputEcho.Shorten(text)}' is too long for {name}; the longest is {maximumText}.");
                return null;
            }

            return duration;
        },
    };

    /// <summary>A duration the task's timer holds: timeouts (<see cref="DurationLimits.MaxTimeout"/>).</summary>
    public static Option<TimeSpan?> Timeout(string name, string description) =>
        Duration(name, description, DurationLimits.MaxTimeout, DurationLimits.MaxTimeoutText);

    /// <summary>A delay, an interval, an age or a wait (<see cref="DurationLimits.MaxDelay"/>): added to or taken from dates.</summary>
    public static Option<TimeSpan?> Span(string name, string description) =>
        Duration(name, description, DurationLimits.MaxDelay, DurationLimits.MaxDelayText);

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

            result.AddError($"'{InputEcho.Shorten(text)}' is not a time for {name}; use ISO 8601 with a zone, e.g. 2026-12-01T09:00:00Z or 2026-12-01T10:00:00+01:00.");
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

                result.AddError($"'{InputEcho.Shorten(text)}' is not a task state; use one of: {StateNames}.");
                return null;
            },
        };
        option.CompletionSources.Add(Enum.GetValues<TaskState>().Select(s => s.ToName()).ToArray());
        return option;
    }

    /// <summary>
    /// A whole number. Values the receiving code range-checks itself (priority, retries, concurrency) pass no bounds
    /// here and only get a clear line for what is not a number or does not fit one; <paramref name="minimum"/> and
    /// <paramref name="maximum"/> bound the rest. <paramref name="range"/> says what to use, e.g. "0 to 9".
    /// </summary>
    public static Option<int?> Integer(string name, string description, string range, int minimum = int.MinValue, int maximum = int.MaxValue) => new(name)
    {
        Description = description,
        HelpName = "N",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value)
                && value >= minimum && value <= maximum)
            {
                return value;
            }

            var isNumber = text.TrimStart('-').Length > 0 && text.TrimStart('-').All(char.IsAsciiDigit);
            result.AddError($"'{InputEcho.Shorten(text)}' is {(isNumber ? "out of range" : "not a whole number")} for {name}; use {range}.");
            return null;
        },
    };

    public static Option<int?> Priority()
    {
        var option = Integer("--priority", $"0 (lowest, the default) to {Topology.MaxPriority} (highest). Classic queues only: with queueType quorum, above 0 is refused.", $"0 to {Topology.MaxPriority}");
        option.Aliases.Add("-p");
        return option;
    }

    public static Option<int?> MaxRetries(string description) =>
        Integer("--max-retries", description, $"0 (no retry) to {RetryBudget.MaxRetriesLimit}");

    public static Option<int?> Concurrency()
    {
        var option = Integer("--concurrency", "How many of its tasks run at once, per daemon (default 1 for a new worker).", $"1 to {WorkerRules.MaxConcurrency}");
        option.Aliases.Add("-n");
        return option;
    }

    /// <summary><c>--isolation process|inprocess</c>: where a worker's task code runs; a bad name exits 2 before anything runs.</summary>
    public static Option<Records.WorkerIsolation?> Isolation(string description) => new("--isolation")
    {
        Description = description,
        HelpName = "process|inprocess",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            try
            {
                return WorkerIsolationNames.ParseInput(text);
            }
            catch (CarrotInputException e)
            {
                result.AddError(e.Message);
                return null;
            }
        },
    };

    /// <summary>
    /// <c>--runner-max-tasks N|default</c> or <c>--runner-max-memory MIB|default</c>: a process worker's own recycle
    /// limit, or back to the daemon's setting; a bad value exits 2 before anything runs. The range is
    /// <see cref="RunnerLimits"/>'s, checked where the client checks it.
    /// </summary>
    private static Option<Records.RunnerLimitChange?> RunnerLimit(string name, string unit, string setting, string range, Action<int> check, string description) => new(name)
    {
        Description = description,
        HelpName = $"{unit}|default",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value.Trim() : "";
            if (text.Equals("default", StringComparison.OrdinalIgnoreCase))
            {
                return Records.RunnerLimitChange.ToDaemonDefault;
            }

            if (!long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number))
            {
                result.AddError($"'{InputEcho.Shorten(text)}' is not a whole number for {name}: use {range}, or 'default' for the daemon's {setting}.");
                return null;
            }

            if (number is < int.MinValue or > int.MaxValue)
            {
                result.AddError($"{number} is out of range for {name}: use {range}, or 'default' for the daemon's {setting}.");
                return null;
            }

            var value = (int)number;
            try
            {
                check(value);
                return Records.RunnerLimitChange.To(value);
            }
            catch (CarrotInputException e)
            {
                result.AddError(e.Message);
                return null;
            }
        },
    };

    public static Option<Records.RunnerLimitChange?> RunnerMaxTasks(string description) =>
        RunnerLimit("--runner-max-tasks", "N", "runnerMaxTasks", RunnerLimits.TasksRange, value => RunnerLimits.Check(value, null), description);

    public static Option<Records.RunnerLimitChange?> RunnerMaxMemory(string description) =>
        RunnerLimit("--runner-max-memory", "MIB", "runnerMaxMemoryMiB", RunnerLimits.MemoryRange, value => RunnerLimits.Check(null, value), description);
}

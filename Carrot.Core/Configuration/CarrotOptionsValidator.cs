using System.Globalization;
using Carrot.Errors;
using Carrot.Lifecycle;

namespace Carrot.Configuration;

/// <summary>
/// Every setting's allowed range, checked when the configuration is read, so that the CLI and the daemon refuse
/// the same values before anything uses them. Each range keeps its setting clear of what would overflow: a .NET
/// timer (about 49.7 days), a date (a retention or a backoff subtracted from or added to now), SQLite's busy
/// timeout (milliseconds in an int), or memory (text sizes).
/// </summary>
internal static class CarrotOptionsValidator
{
    private const string LogLevelKey = "logLevel";

    private static readonly string[] LogLevels = ["Debug", "Information", "Warning", "Error"];

    private static readonly double MaxTimeoutSeconds = DurationLimits.MaxTimeout.TotalSeconds;

    private static readonly double MaxDelaySeconds = DurationLimits.MaxDelay.TotalSeconds;

    private static readonly SettingRange[] Ranges =
    [
        new("busyTimeoutSeconds", o => o.BusyTimeoutSeconds, 1, 3600, "from 1 to 3600 seconds"),
        new("heartbeatSeconds", o => o.HeartbeatSeconds, 1, 3600, "from 1 to 3600 seconds"),
        new("leaseSeconds", o => o.LeaseSeconds, o => o.HeartbeatSeconds * 2 + 1, 7 * 86400,
            o => $"more than twice heartbeatSeconds ({o.HeartbeatSeconds}) and at most 604800 seconds (7 days)"),
        new("shutdownGraceSeconds", o => o.ShutdownGraceSeconds, 0, 86400, "from 0 to 86400 seconds (1 day)"),
        new("workerPollSeconds", o => o.WorkerPollSeconds, 0.01, 3600, "from 0.01 to 3600 seconds"),
        new("reconcileAfterSeconds", o => o.ReconcileAfterSeconds, 1, 7 * 86400, "from 1 to 604800 seconds (7 days)"),
        new("idempotencyWindowSeconds", o => o.IdempotencyWindowSeconds, 0, MaxDelaySeconds, $"from 0 to {MaxDelaySeconds} seconds, that is {DurationLimits.MaxDelayText}"),
        new("maxArgumentBytes", o => o.MaxArgumentBytes, 2, 256 * 1024 * 1024, "from 2 to 268435456 bytes (256 MiB)"),
        new("maxAttempts", o => o.MaxAttempts, 1, RetryBudget.MaxRetriesLimit + 1, $"from 1 to {RetryBudget.MaxRetriesLimit + 1}"),
        new("retryBaseDelaySeconds", o => o.RetryBaseDelaySeconds, 0, MaxDelaySeconds, $"from 0 to {MaxDelaySeconds} seconds, that is {DurationLimits.MaxDelayText}"),
        new("retryMaxDelaySeconds", o => o.RetryMaxDelaySeconds, o => o.RetryBaseDelaySeconds, MaxDelaySeconds,
            o => $"from retryBaseDelaySeconds ({o.RetryBaseDelaySeconds.ToString(CultureInfo.InvariantCulture)}) to {MaxDelaySeconds} seconds, that is {DurationLimits.MaxDelayText}"),
        new("defaultTimeoutSeconds", o => o.DefaultTimeoutSeconds, 0, MaxTimeoutSeconds, $"from 0 (no limit) to {MaxTimeoutSeconds} seconds, that is {DurationLimits.MaxTimeoutText}"),
        new("runawayGraceSeconds", o => o.RunawayGraceSeconds, 0, MaxTimeoutSeconds, $"from 0 to {MaxTimeoutSeconds} seconds, that is {DurationLimits.MaxTimeoutText}"),
        Retention("succeededRetentionDays", o => o.SucceededRetentionDays),
        Retention("failedRetentionDays", o => o.FailedRetentionDays),
        Retention("cancelledRetentionDays", o => o.CancelledRetentionDays),
        new("maxResultChars", o => o.MaxResultChars, 16, 256 * 1024 * 1024, "from 16 to 268435456 characters (256 Mi)"),
        new("maxErrorChars", o => o.MaxErrorChars, 256, 16 * 1024 * 1024, "from 256 to 16777216 characters (16 Mi)"),
        new("maxLogLineChars", o => o.MaxLogLineChars, 256, 1024 * 1024, "from 256 to 1048576 characters (1 Mi)"),
        new("maxLogLinesPerAttempt", o => o.MaxLogLinesPerAttempt, 1, 100_000, "from 1 to 100000 lines"),
        new("liveTaskLogMs", o => o.LiveTaskLogMs, 0, 60_000, "from 0 (only with the outcome) to 60000 milliseconds"),
        new("runnerMaxTasks", o => o.RunnerMaxTasks, 0, RunnerLimits.MaxTasks, RunnerLimits.TasksRange),
        new("runnerMaxMemoryMiB", o => o.RunnerMaxMemoryMiB, 0, RunnerLimits.MaxMemoryMiB, RunnerLimits.MemoryRange),
        new("runnerIdleSeconds", o => o.RunnerIdleSeconds, 0, 86400, "from 0 (idle runners are kept) to 86400 seconds (a day)"),
    ];

    /// <summary>Refuses the first setting out of range, naming its key, its value, the allowed range and where it was read.</summary>
    public static void Validate(CarrotOptions options)
    {
        foreach (var range in Ranges)
        {
            if (!range.Accepts(options))
            {
                throw Refuse(options, range.Key, range.Read(options).ToString(CultureInfo.InvariantCulture), range.Allowed(options));
            }
        }

        if (!LogLevels.Contains(options.LogLevel, StringComparer.OrdinalIgnoreCase))
        {
            throw Refuse(options, LogLevelKey, $"'{Shorten(options.LogLevel)}'", $"one of {string.Join(", ", LogLevels)}");
        }

        if (!QueueTypeSetting.TryParse(options.QueueType, out _))
        {
            throw QueueTypeSetting.Refuse($"\"{QueueTypeSetting.Key}\" in {options.Source}", options.QueueType);
        }

        var socket = options.EnqueueSocket.Trim();
        if (socket.Length > 0 && !Handoff.HandoffSocket.IsOff(socket) && !Handoff.HandoffSocket.Fits(Path.GetFullPath(socket)))
        {
            throw Refuse(options, "enqueueSocket", $"'{InputEcho.Shorten(socket)}'", "a path of at most 107 bytes (what a Unix socket address holds), or \"off\"");
        }

        if (WorkersSetting.Problem(options.Workers) is { } workersProblem)
        {
            throw Refuse(options, WorkersSetting.Key, WorkersSetting.Describe(options.Workers!), workersProblem);
        }
    }

    private static SettingRange Retention(string key, Func<CarrotOptions, double> read) =>
        new(key, read, 0, DurationLimits.MaxDelay.TotalDays, $"from 0 (keep forever) to {DurationLimits.MaxDelayText}");

    private static CarrotConfigurationException Refuse(CarrotOptions options, string key, string value, string allowed) =>
        new($"\"{key}\" is {value} in {options.Source}; it must be {allowed}. Fix the setting, or leave it out for the default.");

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");
}

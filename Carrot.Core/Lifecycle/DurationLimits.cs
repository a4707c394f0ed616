namespace Carrot.Lifecycle;

/// <summary>
/// The longest durations Carrot accepts, in one place so that the CLI, the client, the configuration and the daemon
/// refuse the same things. A timeout is armed as a .NET timer, which holds at most 2^32 − 2 ms (about 49.7 days).
/// Delays, intervals and ages are added to dates, so they stay far from DateTimeOffset's range.
/// </summary>
internal static class DurationLimits
{
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(49);

    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(3650);

    public const string MaxTimeoutText = "49 days";

    public const string MaxDelayText = "3650 days (10 years)";

    public static bool IsValidTimeout(TimeSpan timeout) => timeout > TimeSpan.Zero && timeout <= MaxTimeout;

    public static bool IsValidDelay(TimeSpan delay) => delay >= TimeSpan.Zero && delay <= MaxDelay;
}

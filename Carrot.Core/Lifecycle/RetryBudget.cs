namespace Carrot.Lifecycle;

/// <summary>
/// The one rule for how often a task may start: its own retries (--max-retries), else its kallable's
/// [CarrotTask(MaxRetries)], else the configuration's maxAttempts − 1; counted from the attempts used before
/// the last manual retry. Producers, the scheduler, manual retries and the daemon's retry policy all ask here.
/// </summary>
internal static class RetryBudget
{
    /// <summary>The most retries a task or a schedule may ask for.</summary>
    public const int MaxRetriesLimit = 100;

    public static int Retries(int? taskRetries, int? kallableRetries, int configuredMaxAttempts) =>
        taskRetries ?? kallableRetries ?? Math.Max(configuredMaxAttempts - 1, 0);

    /// <summary>The row's <c>max_attempts</c>: the attempts already used (<paramref name="attemptBase"/>) plus the first run plus the retries.</summary>
    public static int MaxAttempts(int attemptBase, int? taskRetries, int? kallableRetries, int configuredMaxAttempts) =>
        attemptBase + Retries(taskRetries, kallableRetries, configuredMaxAttempts) + 1;
}

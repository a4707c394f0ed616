namespace Carrot.Tasks;

/// <summary>
/// Per-kallable defaults, on a task method or on its class (the method's attribute wins). A task's own
/// <c>--max-retries</c> and <c>--timeout</c> override these; the configuration's <c>maxAttempts</c> and
/// <c>defaultTimeoutSeconds</c> apply when neither is given.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class CarrotTaskAttribute : Attribute
{
    /// <summary>How many times a failed attempt is retried (0: never). Negative: not set here.</summary>
    public int MaxRetries { get; set; } = -1;

    /// <summary>Seconds an attempt may run before its cancellation token fires. 0 or less: not set here.</summary>
    public double TimeoutSeconds { get; set; }
}

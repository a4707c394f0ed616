using System.Reflection;
using Carrot.Errors;
using Carrot.Lifecycle;
using Carrot.Tasks;

namespace Carrot.Kallables;

/// <summary>A kallable's own retry and timeout defaults, from <see cref="CarrotTaskAttribute"/> on the method or its class.</summary>
internal sealed record TaskDefaults(int? MaxRetries, TimeSpan? Timeout)
{
    public static readonly TaskDefaults None = new(null, null);

    /// <summary>
    /// Reads the attribute. One that asks for more than Carrot can honour (a timeout no timer holds, more retries than
    /// the limit) is a <see cref="CarrotInputException"/> naming the kallable: the producer refuses to enqueue it, and
    /// the daemon records the task as an invalid one instead of arming a timer that would throw.
    /// </summary>
    public static TaskDefaults For(MethodInfo method)
    {
        var onMethod = method.GetCustomAttribute<CarrotTaskAttribute>();
        var onType = method.DeclaringType?.GetCustomAttribute<CarrotTaskAttribute>();
        int? retries = onMethod is { MaxRetries: >= 0 } ? onMethod.MaxRetries : onType is { MaxRetries: >= 0 } ? onType.MaxRetries : null;
        double? seconds = onMethod is { TimeoutSeconds: > 0 } ? onMethod.TimeoutSeconds : onType is { TimeoutSeconds: > 0 } ? onType.TimeoutSeconds : null;
        var kallable = $"{method.DeclaringType?.FullName}.{method.Name}";
        if (retries > RetryBudget.MaxRetriesLimit)
        {
            throw new CarrotInputException($"[CarrotTask(MaxRetries = {retries})] on {kallable} is out of range; use 0 (no retry) to {RetryBudget.MaxRetriesLimit}.");
        }

        if (seconds > DurationLimits.MaxTimeout.TotalSeconds)
        {
            throw new CarrotInputException($"[CarrotTask(TimeoutSeconds = {seconds:0.###})] on {kallable} is too long; the longest timeout is {DurationLimits.MaxTimeoutText} (what a .NET timer holds). Shorten it, or leave it out for no limit.");
        }

        return new TaskDefaults(retries, seconds is { } s ? TimeSpan.FromSeconds(s) : null);
    }
}

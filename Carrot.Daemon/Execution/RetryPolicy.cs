using Carrot.Configuration;
using Carrot.Kallables;
using Carrot.Storage;
using Carrot.Tasks;

namespace Carrot.Daemon.Execution;

/// <summary>
/// Decides whether a failed attempt runs again, and when: exponential backoff (base × 2^(n−1), capped) with
/// "equal jitter" (half fixed, half random) so that tasks failing together do not retry together.
/// The retry limit is the task's own (--max-retries), else its kallable's [CarrotTask], else maxAttempts.
/// </summary>
internal sealed class RetryPolicy(CarrotOptions options, TimeProvider clock, Random random)
{
    public TaskOutcome Apply(ClaimedTask claim, ExecutionResult result, TaskOutcome outcome)
    {
        if (outcome.State != TaskState.Failed)
        {
            return outcome;
        }

        var retries = claim.MaxRetries ?? result.Defaults.MaxRetries ?? options.MaxAttempts - 1;
        var maxAttempts = claim.AttemptBase + retries + 1;
        var corrected = maxAttempts == claim.MaxAttempts ? outcome : outcome with { MaxAttempts = maxAttempts };
        if (!result.Retryable || claim.Attempt >= maxAttempts)
        {
            return corrected;
        }

        return corrected with { RetryAt = clock.GetUtcNow() + Backoff(claim.Attempt - claim.AttemptBase) };
    }

    /// <summary>The wait after the <paramref name="failures"/>-th failed attempt (1-based).</summary>
    public TimeSpan Backoff(int failures)
    {
        var exponent = Math.Min(Math.Max(failures - 1, 0), 30);
        var capped = Math.Min(options.RetryBaseDelaySeconds * Math.Pow(2, exponent), options.RetryMaxDelaySeconds);
        return TimeSpan.FromSeconds((capped / 2) + (random.NextDouble() * capped / 2));
    }
}

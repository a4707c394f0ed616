using Carrot.Configuration;

namespace Carrot.Daemon.Execution;

/// <summary>
/// When a failed attempt would run again: exponential backoff (base × 2^(n−1), capped) with "equal jitter" (half
/// fixed, half random) so that tasks failing together do not retry together. Whether it runs again at all is
/// <see cref="Lifecycle.AttemptOutcomes"/>' decision.
/// </summary>
internal sealed class RetryPolicy(CarrotOptions options, TimeProvider clock, Random random)
{
    /// <summary>When the retry after <paramref name="failures"/> failed attempts (1-based, since the last manual retry) is due.</summary>
    public DateTimeOffset RetryAt(int failures) => clock.GetUtcNow() + Backoff(failures);

    /// <summary>The wait after the <paramref name="failures"/>-th failed attempt (1-based).</summary>
    public TimeSpan Backoff(int failures)
    {
        var exponent = Math.Min(Math.Max(failures - 1, 0), 30);
        var capped = Math.Min(options.RetryBaseDelaySeconds * Math.Pow(2, exponent), options.RetryMaxDelaySeconds);
        return TimeSpan.FromSeconds((capped / 2) + (random.NextDouble() * capped / 2));
    }
}

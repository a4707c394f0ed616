using Carrot.Configuration;
using Carrot.Daemon.Execution;

namespace Carrot.Tests.Unit.Daemon;

/// <summary>Backoff timing, on a fake clock. Whether a failure is retried at all: AttemptOutcomesTests.</summary>
[TestFixture]
public sealed class RetryPolicyTests
{
    private readonly FakeClock _clock = new();
    private readonly CarrotOptions _options = new() { RetryBaseDelaySeconds = 10, RetryMaxDelaySeconds = 300, MaxAttempts = 3 };

    [Test]
    public void Backoff_DoublesPerFailure_WithJitterWithinItsUpperHalf_UpToTheCap()
    {
        var policy = new RetryPolicy(_options, _clock, new Random(42));

        var expected = new[] { 10.0, 20, 40, 80, 160, 300, 300 };
        for (var failures = 1; failures <= expected.Length; failures++)
        {
            var samples = Enumerable.Range(0, 200).Select(_ => policy.Backoff(failures).TotalSeconds).ToList();
            var full = expected[failures - 1];
            Assert.That(samples, Is.All.InRange(full / 2, full), $"after failure {failures}");
            Assert.That(samples.Max() - samples.Min(), Is.GreaterThan(full / 4), "jitter spreads retries out");
        }
    }

    [Test]
    public void RetryAt_IsNowPlusTheBackoff()
    {
        var policy = new RetryPolicy(_options, _clock, new Random(1));

        Assert.That(policy.RetryAt(1), Is.InRange(_clock.Now.AddSeconds(5), _clock.Now.AddSeconds(10)));
    }
}

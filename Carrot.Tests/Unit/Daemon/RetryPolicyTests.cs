using Carrot.Configuration;
using Carrot.Daemon.Execution;
using Carrot.Kallables;
using Carrot.Storage;
using Carrot.Tasks;

namespace Carrot.Tests.Unit.Daemon;

/// <summary>Backoff timing and the retry limit's precedence (task, attribute, configuration), on a fake clock.</summary>
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
    public void Failure_WithAttemptsLeft_IsRetriedAfterTheBackoff()
    {
        var policy = new RetryPolicy(_options, _clock, new Random(1));

        var outcome = policy.Apply(Claim(attempt: 1), Result(retryable: true), Failed());

        Assert.That(outcome.RetryAt, Is.InRange(_clock.Now.AddSeconds(5), _clock.Now.AddSeconds(10)));
        Assert.That(outcome.MaxAttempts, Is.Null, "the row's limit already says 3");
    }

    [Test]
    public void LastAttempt_NotRetryable_OrNotAFailure_IsNotRetried()
    {
        var policy = new RetryPolicy(_options, _clock, new Random(1));

        Assert.That(policy.Apply(Claim(attempt: 3), Result(retryable: true), Failed()).RetryAt, Is.Null);
        Assert.That(policy.Apply(Claim(attempt: 1), Result(retryable: false), Failed()).RetryAt, Is.Null);
        Assert.That(policy.Apply(Claim(attempt: 1), Result(retryable: true), TaskOutcome.Succeeded("1")).RetryAt, Is.Null);
    }

    [Test]
    public void TheTasksOwnLimit_BeatsTheAttribute_WhichBeatsTheConfiguration()
    {
        var policy = new RetryPolicy(_options, _clock, new Random(1));
        var attributeAllowsFive = Result(retryable: true, new TaskDefaults(5, null));

        var byAttribute = policy.Apply(Claim(attempt: 3), attributeAllowsFive, Failed());
        var byTask = policy.Apply(Claim(attempt: 1) with { MaxRetries = 0, MaxAttempts = 1 }, attributeAllowsFive, Failed());

        Assert.That(byAttribute.RetryAt, Is.Not.Null, "attempt 3 of 6");
        Assert.That(byAttribute.MaxAttempts, Is.EqualTo(6), "the row is corrected to the attribute's limit");
        Assert.That(byTask.RetryAt, Is.Null, "--max-retries 0");
    }

    [Test]
    public void AfterAManualRetry_TheBudgetCountsFromTheAttemptsAlreadyUsed()
    {
        var policy = new RetryPolicy(_options, _clock, new Random(1));

        var outcome = policy.Apply(Claim(attempt: 4) with { AttemptBase = 3, MaxAttempts = 6 }, Result(retryable: true), Failed());

        Assert.That(outcome.RetryAt, Is.Not.Null);
        Assert.That(outcome.RetryAt, Is.LessThanOrEqualTo(_clock.Now.AddSeconds(10)), "the first retry of the new budget waits the base delay");
    }

    private static ClaimedTask Claim(int attempt) => new(1, "MyLib.Jobs.Bark", "[]", "{}", "default", attempt, 3, "daemon-1");

    private static ExecutionResult Result(bool retryable, TaskDefaults? defaults = null) =>
        new(null, [], TimeSpan.Zero) { Retryable = retryable, Defaults = defaults ?? TaskDefaults.None };

    private static TaskOutcome Failed() => TaskOutcome.Failed("System.Exception", "boom");
}

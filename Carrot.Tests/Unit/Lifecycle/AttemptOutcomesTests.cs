using Carrot.Lifecycle;
using Carrot.Storage;
using Carrot.Tasks;

namespace Carrot.Tests.Unit.Lifecycle;

/// <summary>The one decision of what an attempt's end means for its task, as a pure function.</summary>
[TestFixture]
public sealed class AttemptOutcomesTests
{
    private static readonly DateTimeOffset RetryAt = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly OutcomeSettings Settings = new(ConfiguredMaxAttempts: 3, MaxErrorChars: 200);

    [Test]
    public void Success_IsRecordedWithItsResult_EvenWhenACancelCameTooLate()
    {
        var outcome = Decide(AttemptEnd.Succeeded("42"), Claim(attempt: 1), cancelRequested: true);

        Assert.That((outcome.State, outcome.Result, outcome.RetryAt), Is.EqualTo((TaskState.Succeeded, "42", (DateTimeOffset?)null)));
    }

    [Test]
    public void Failure_WithAttemptsLeft_IsRetriedAtTheGivenTime()
    {
        var outcome = Decide(AttemptEnd.Threw(new InvalidOperationException("boom")), Claim(attempt: 1));

        Assert.Multiple(() =>
        {
            Assert.That(outcome.State, Is.EqualTo(TaskState.Failed));
            Assert.That(outcome.ErrorType, Is.EqualTo("System.InvalidOperationException"));
            Assert.That(outcome.RetryAt, Is.EqualTo(RetryAt));
            Assert.That(outcome.MaxAttempts, Is.Null, "the row's limit already says 3");
        });
    }

    [TestCase("Threw", true)]
    [TestCase("TimedOut", true)]
    [TestCase("Broken", true)]
    [TestCase("Invalid", false)]
    [TestCase("RunawayAfterTimeout", false)]
    public void WhichEnds_AreRetried(string kind, bool retried)
    {
        var outcome = Decide(new AttemptEnd(Enum.Parse<AttemptEndKind>(kind), ErrorType: "X", ErrorMessage: "y"), Claim(attempt: 1));

        Assert.That(outcome.State, Is.EqualTo(TaskState.Failed));
        Assert.That(outcome.RetryAt is not null, Is.EqualTo(retried));
    }

    [Test]
    public void LastAttempt_OrDoNotRetry_IsNotRetried()
    {
        Assert.That(Decide(AttemptEnd.Threw(new InvalidOperationException("boom")), Claim(attempt: 3)).RetryAt, Is.Null);
        Assert.That(Decide(AttemptEnd.Threw(new DoNotRetryException("no")), Claim(attempt: 1)).RetryAt, Is.Null);
    }

    [Test]
    public void TheTasksOwnLimit_BeatsTheKallables_WhichBeatsTheConfiguration()
    {
        var attributeAllowsFive = AttemptEnd.Threw(new InvalidOperationException("boom")) with { KallableRetries = 5 };

        var byAttribute = Decide(attributeAllowsFive, Claim(attempt: 3));
        var byTask = Decide(attributeAllowsFive, Claim(attempt: 1) with { MaxRetries = 0, MaxAttempts = 1 });

        Assert.That(byAttribute.RetryAt, Is.Not.Null, "attempt 3 of 6");
        Assert.That(byAttribute.MaxAttempts, Is.EqualTo(6), "the row is corrected to the attribute's limit");
        Assert.That(byTask.RetryAt, Is.Null, "max retries 0");
    }

    [Test]
    public void AfterAManualRetry_TheBudgetCountsFromTheAttemptsAlreadyUsed()
    {
        var outcome = Decide(AttemptEnd.Threw(new InvalidOperationException("boom")), Claim(attempt: 4) with { AttemptBase = 3, MaxAttempts = 6 });

        Assert.That(outcome.RetryAt, Is.EqualTo(RetryAt));
    }

    [Test]
    public void AFailureAfterACancelRequest_IsCancelled_AndNotRetried()
    {
        var outcome = Decide(AttemptEnd.Threw(new OperationCanceledException("stopped")), Claim(attempt: 1), cancelRequested: true);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.State, Is.EqualTo(TaskState.Cancelled));
            Assert.That(outcome.ErrorType, Is.EqualTo(AttemptOutcomes.CancelledType));
            Assert.That(outcome.ErrorMessage, Does.Contain("stopped"));
            Assert.That(outcome.RetryAt, Is.Null);
        });
    }

    [Test]
    public void ARunaway_NamesItsDaemon_SoNoCopyStartsBesideIt()
    {
        var timedOut = Decide(new AttemptEnd(AttemptEndKind.RunawayAfterTimeout, ErrorMessage: "ignored its token"), Claim(attempt: 1));
        var cancelled = Decide(new AttemptEnd(AttemptEndKind.RunawayAfterCancel, ErrorMessage: "ignored its token"), Claim(attempt: 1), cancelRequested: true);

        Assert.That((timedOut.State, timedOut.ErrorType, timedOut.RunawayOwner), Is.EqualTo((TaskState.Failed, AttemptOutcomes.TimeoutType, "daemon-1")));
        Assert.That((cancelled.State, cancelled.RunawayOwner), Is.EqualTo((TaskState.Cancelled, "daemon-1")));
    }

    [Test]
    public void ErrorTexts_AreCutToTheirLimit_AndSaySo()
    {
        var huge = new string('x', 100_000);
        var outcome = Decide(new AttemptEnd(AttemptEndKind.Threw, ErrorType: "X", ErrorMessage: huge, StackTrace: huge), Claim(attempt: 3));

        Assert.That(outcome.ErrorMessage!.Length, Is.EqualTo(200));
        Assert.That(outcome.StackTrace!.Length, Is.EqualTo(200));
        Assert.That(outcome.ErrorMessage, Does.EndWith("[cut to 200 of 100,000 characters]"));
    }

    [Test]
    public void AHandBackAfterACancelRequest_EndsCancelled()
    {
        Assert.That(AttemptOutcomes.CancelledAtHandBack().State, Is.EqualTo(TaskState.Cancelled));
    }

    private static TaskOutcome Decide(AttemptEnd end, ClaimedTask claim, bool cancelRequested = false) =>
        AttemptOutcomes.Decide(end, claim, cancelRequested, Settings, RetryAt);

    private static ClaimedTask Claim(int attempt) => new(1, "MyLib.Jobs.Bark", "[]", "{}", "default", attempt, 3, "daemon-1");
}

using Carrot.Client;
using Carrot.Configuration;
using Carrot.Errors;
using Carrot.Kallables;
using Carrot.Records;
using Carrot.Scheduling;

namespace Carrot.Tests.Unit.Lifecycle;

/// <summary>Every duration and time a producer gives is range-checked before anything is written (DurationLimits).</summary>
[TestFixture]
public sealed class DurationRangeTests
{
    private static readonly FakeClock Clock = new();

    private static EnqueueValidator Validator() =>
        new(new CarrotOptions { TaskAssemblies = [] }, new Lazy<KallableCatalog>(() => KallableCatalog.Empty), new HashSet<string> { "default" }, Clock);

    private static EnqueueRequest Request() => new() { Kallable = "MyLib.Jobs.Bark" };

    [Test]
    public void ADelayOfThreeMillionDays_IsRefused_NotAnOverflow()
    {
        var error = Assert.Throws<CarrotInputException>(() => Validator().ValidateOne(Request() with { Delay = TimeSpan.FromDays(3_000_000) }));

        Assert.That(error!.Message, Does.Contain("too long").And.Contain("3650 days"));
    }

    [Test]
    public void ADelayOfTenYears_IsAccepted()
    {
        var task = Validator().ValidateOne(Request() with { Delay = TimeSpan.FromDays(3650) });

        Assert.That(task.RunAt, Is.EqualTo(Clock.Now + TimeSpan.FromDays(3650)));
    }

    [Test]
    public void ATimeoutOfFiftyDays_IsRefused_AsNoTimerHoldsIt()
    {
        var error = Assert.Throws<CarrotInputException>(() => Validator().ValidateOne(Request() with { Timeout = TimeSpan.FromDays(50) }));

        Assert.That(error!.Message, Does.Contain("too long").And.Contain("49 days"));
    }

    [Test]
    public void ATimeoutOfFortyNineDays_IsAccepted()
    {
        var task = Validator().ValidateOne(Request() with { Timeout = TimeSpan.FromDays(49) });

        Assert.That(task.TimeoutMs, Is.EqualTo((long)TimeSpan.FromDays(49).TotalMilliseconds));
    }

    [Test]
    public void AStartTimeCenturiesAway_IsRefused()
    {
        var error = Assert.Throws<CarrotInputException>(() => Validator().ValidateOne(Request() with { RunAt = new DateTimeOffset(9999, 12, 31, 0, 0, 0, TimeSpan.Zero) }));

        Assert.That(error!.Message, Does.Contain("too far away"));
    }

    [Test]
    public void MaxRetriesOutOfRange_IsSaidInRequestTerms_NotAsACliFlag()
    {
        var error = Assert.Throws<CarrotInputException>(() => Validator().ValidateOne(Request() with { MaxRetries = 101 }));

        Assert.That(error!.Message, Does.StartWith("Max retries 101 is out of range").And.Not.Contain("--"));
    }

    [Test]
    public void AnIntervalOfThreeMillionDays_IsRefused_NotAnOverflow()
    {
        var error = Assert.Throws<CarrotInputException>(() => Recurrence.Create(null, null, TimeSpan.FromDays(3_000_000)));

        Assert.That(error!.Message, Does.Contain("too long").And.Not.Contain("--"));
    }
}

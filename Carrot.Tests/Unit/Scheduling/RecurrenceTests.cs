using Carrot.Errors;
using Carrot.Records;
using Carrot.Scheduling;

namespace Carrot.Tests.Unit.Scheduling;

/// <summary>Cron in a time zone across daylight-saving changes, intervals, and the catch-up rule.</summary>
[TestFixture]
public sealed class RecurrenceTests
{
    // Europe/Paris: 2026-03-29 02:00 CET jumps to 03:00 CEST; 2026-10-25 03:00 CEST falls back to 02:00 CET.
    [Test]
    public void DailyAt0230Paris_OnTheSpringJump_FiresRightAfterTheSkippedHour_Once()
    {
        var cron = Recurrence.Create("30 2 * * *", "Europe/Paris", null);

        var before = cron.NextAfter(new DateTimeOffset(2026, 3, 28, 0, 0, 0, TimeSpan.Zero));
        var onJump = cron.NextAfter(before);
        var after = cron.NextAfter(onJump);

        Assert.That(before, Is.EqualTo(new DateTimeOffset(2026, 3, 28, 1, 30, 0, TimeSpan.Zero)), "02:30 CET");
        Assert.That(onJump, Is.EqualTo(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero)), "02:30 does not exist: 03:00 CEST");
        Assert.That(after, Is.EqualTo(new DateTimeOffset(2026, 3, 30, 0, 30, 0, TimeSpan.Zero)), "02:30 CEST");
    }

    [Test]
    public void DailyAt0230Paris_OnTheAutumnFallBack_FiresOnce_NotForBothRepeatedHours()
    {
        var cron = Recurrence.Create("30 2 * * *", "Europe/Paris", null);

        var onFallBack = cron.NextAfter(new DateTimeOffset(2026, 10, 24, 12, 0, 0, TimeSpan.Zero));
        var next = cron.NextAfter(onFallBack);

        Assert.That(onFallBack, Is.EqualTo(new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero)), "the first 02:30 (CEST)");
        Assert.That(next, Is.EqualTo(new DateTimeOffset(2026, 10, 26, 1, 30, 0, TimeSpan.Zero)), "the next day, 02:30 CET");
    }

    [Test]
    public void NineOClockParis_StaysAtNineLocal_AcrossTheChange()
    {
        var cron = Recurrence.Create("0 9 * * *", "Europe/Paris", null);

        var winter = cron.NextAfter(new DateTimeOffset(2026, 3, 28, 0, 0, 0, TimeSpan.Zero));
        var summer = cron.NextAfter(winter);

        Assert.That(winter.UtcDateTime.Hour, Is.EqualTo(8));
        Assert.That(summer.UtcDateTime.Hour, Is.EqualTo(7));
    }

    [Test]
    public void EveryFiveMinutes_InUtc_ByDefault()
    {
        var cron = Recurrence.Create("*/5 * * * *", null, null);

        Assert.That(cron.NextAfter(new DateTimeOffset(2026, 1, 1, 10, 3, 20, TimeSpan.Zero)), Is.EqualTo(new DateTimeOffset(2026, 1, 1, 10, 5, 0, TimeSpan.Zero)));
    }

    [Test]
    public void SixFields_MeanSecondsFirst()
    {
        var cron = Recurrence.Create("*/10 * * * * *", null, null);

        Assert.That(cron.NextAfter(new DateTimeOffset(2026, 1, 1, 10, 0, 3, TimeSpan.Zero)), Is.EqualTo(new DateTimeOffset(2026, 1, 1, 10, 0, 10, TimeSpan.Zero)));
    }

    [TestCase("* * *", null, "5 fields")]
    [TestCase("61 * * * *", null, "not a valid cron expression")]
    [TestCase("0 9 * * *", "Mars/Olympus", "not a known time zone")]
    public void BadCronOrZone_IsAnInputError_ThatSaysWhy(string cron, string? zone, string expected)
    {
        var error = Assert.Throws<CarrotInputException>(() => Recurrence.Create(cron, zone, null));

        Assert.That(error!.Message, Does.Contain(expected));
    }

    [Test]
    public void NeitherOrBoth_AndTooShortAnInterval_AreInputErrors()
    {
        Assert.Throws<CarrotInputException>(() => Recurrence.Create(null, null, null));
        Assert.Throws<CarrotInputException>(() => Recurrence.Create("* * * * *", null, TimeSpan.FromMinutes(1)));
        Assert.Throws<CarrotInputException>(() => Recurrence.Create(null, null, TimeSpan.FromMilliseconds(200)));
        Assert.Throws<CarrotInputException>(() => Recurrence.Create(null, "Europe/Paris", TimeSpan.FromMinutes(1)));
    }

    [Test]
    public void Interval_KeepsItsRhythmWhenOnTime_AndRestartsFromNowAfterAGap()
    {
        var due = new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.Zero);
        var schedule = Schedule(due, every: TimeSpan.FromMinutes(5));

        var onTime = Recurrence.NextAfterFiring(schedule, due.AddMilliseconds(300));
        var afterGap = Recurrence.NextAfterFiring(schedule, due.AddHours(1));

        Assert.That(onTime, Is.EqualTo(due.AddMinutes(5)), "a firing a little late does not shift the rhythm");
        Assert.That(afterGap, Is.EqualTo(due.AddHours(1).AddMinutes(5)), "after a gap, the next one is a full interval after the catch-up run");
    }

    [Test]
    public void Cron_AfterAGap_NextIsTheFirstOccurrenceAfterNow()
    {
        var due = new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.Zero);
        var schedule = Schedule(due, cron: "*/5 * * * *");

        Assert.That(Recurrence.NextAfterFiring(schedule, due.AddMinutes(62)), Is.EqualTo(due.AddMinutes(65)));
    }

    private static ScheduleRecord Schedule(DateTimeOffset nextRunAt, TimeSpan? every = null, string? cron = null) => new()
    {
        Id = 1,
        Name = "s",
        Kallable = "MyLib.Jobs.Bark",
        Args = "[]",
        Kwargs = "{}",
        Worker = "default",
        Cron = cron,
        Every = every,
        NextRunAt = nextRunAt,
        CreatedAt = nextRunAt,
        UpdatedAt = nextRunAt,
    };
}

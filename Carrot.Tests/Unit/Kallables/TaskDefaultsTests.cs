using Carrot.Errors;
using Carrot.Kallables;
using Carrot.Tasks;

namespace Carrot.Tests.Unit.Kallables;

[TestFixture]
public sealed class TaskDefaultsTests
{
    [Test]
    public void For_ReadsATimeoutATimerHolds()
    {
        var defaults = TaskDefaults.For(typeof(AttributeSamples).GetMethod(nameof(AttributeSamples.FortyNineDays))!);

        Assert.That(defaults.Timeout, Is.EqualTo(TimeSpan.FromDays(49)));
    }

    [Test]
    public void For_RefusesATimeoutNoTimerHolds_NamingTheKallable()
    {
        var error = Assert.Throws<CarrotInputException>(() => TaskDefaults.For(typeof(AttributeSamples).GetMethod(nameof(AttributeSamples.FiftyDays))!));

        Assert.That(error!.Message, Does.Contain($"{typeof(AttributeSamples).FullName}.FiftyDays").And.Contain("49 days"));
    }

    [Test]
    public void For_RefusesMoreRetriesThanTheLimit_NamingTheKallable()
    {
        var error = Assert.Throws<CarrotInputException>(() => TaskDefaults.For(typeof(AttributeSamples).GetMethod(nameof(AttributeSamples.TooManyRetries))!));

        Assert.That(error!.Message, Does.Contain("TooManyRetries").And.Contain("0 (no retry) to 100"));
    }

    [Test]
    public void For_RefusesATooLongTimeoutOnTheClass_ForEveryMethodWithoutItsOwn()
    {
        Assert.Throws<CarrotInputException>(() => TaskDefaults.For(typeof(LongClassTimeout).GetMethod(nameof(LongClassTimeout.Run))!));
    }

    public static class AttributeSamples
    {
        [CarrotTask(TimeoutSeconds = 49 * 86400)]
        public static void FortyNineDays()
        {
        }

        [CarrotTask(TimeoutSeconds = 50 * 86400)]
        public static void FiftyDays()
        {
        }

        [CarrotTask(MaxRetries = 101)]
        public static void TooManyRetries()
        {
        }
    }

    [CarrotTask(TimeoutSeconds = double.PositiveInfinity)]
    public static class LongClassTimeout
    {
        public static void Run()
        {
        }
    }
}

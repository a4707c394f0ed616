using Carrot.Client;
using Carrot.Configuration;
using Carrot.Errors;
using Carrot.Kallables;
using Carrot.Records;

namespace Carrot.Tests.Unit.Client;

[TestFixture]
public sealed class IdempotencyKeyValidationTests
{
    private static EnqueueValidator Validator() =>
        new(new CarrotOptions { TaskAssemblies = [] }, new Lazy<KallableCatalog>(() => KallableCatalog.Empty), new HashSet<string> { "default" }, new FakeClock());

    private static EnqueueRequest Request(string? key) => new() { Kallable = "MyLib.Jobs.Bark", Key = key };

    [Test]
    public void AKey_IsKeptOnTheTask()
    {
        Assert.That(Validator().ValidateOne(Request("order-1")).IdempotencyKey, Is.EqualTo("order-1"));
    }

    [TestCase("")]
    [TestCase("   ")]
    [TestCase("line\nbreak")]
    public void ABadKey_IsRefused(string key)
    {
        var error = Assert.Throws<CarrotInputException>(() => Validator().ValidateOne(Request(key)));

        Assert.That(error!.Message, Does.Contain("idempotency key"));
    }

    [Test]
    public void AKeyLongerThanTheLimit_IsRefused_AndEchoedShortened()
    {
        var error = Assert.Throws<CarrotInputException>(() => Validator().ValidateOne(Request(new string('k', 6000))));

        Assert.That(error!.Message, Does.Contain("(6,000 characters)").And.Contain("1 to 200"));
    }

    [Test]
    public void OneKeyTwiceInABatch_RefusesTheBatch_AtTheSecondRequest()
    {
        var error = Assert.Throws<CarrotInputException>(() => Validator().Validate([Request("a"), Request("b"), Request("a")]));

        Assert.That(error!.BatchIndex, Is.EqualTo(2));
        Assert.That(error.Reason, Does.Contain("earlier request of this batch"));
    }
}

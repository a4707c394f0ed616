using Carrot.Client;
using Carrot.Errors;
using NUnit.Framework;

namespace Carrot.Tests.Unit.Client;

[TestFixture]
public sealed class WorkerRulesTests
{
    [TestCase("default")]
    [TestCase("a")]
    [TestCase("7")]
    [TestCase("video-encode_v2.eu")]
    [TestCase("A1.b_c-d")]
    public void Check_AcceptsAValidName(string name)
    {
        Assert.That(() => WorkerRules.Check(name, 4), Throws.Nothing);
    }

    [Test]
    public void Check_AcceptsANameOf64Characters()
    {
        Assert.That(() => WorkerRules.Check(new string('w', 64), null), Throws.Nothing);
    }

    [TestCase("")]
    [TestCase("-video")]
    [TestCase(".video")]
    [TestCase("_video")]
    [TestCase("vi deo")]
    [TestCase("video/eu")]
    [TestCase("vidéo")]
    [TestCase("video*")]
    [TestCase("video#")]
    public void Check_RefusesAnInvalidName(string name)
    {
        var error = Assert.Throws<CarrotInputException>(() => WorkerRules.Check(name, 4));

        Assert.That(error!.Message, Is.EqualTo($"'{name}' is not a valid worker name: use 1-64 letters, digits, '-', '_' or '.', starting with a letter or digit."));
    }

    [Test]
    public void Check_RefusesANameOf65Characters()
    {
        Assert.Throws<CarrotInputException>(() => WorkerRules.Check(new string('w', 65), 4));
    }

    [TestCase("video\n")]
    [TestCase("video\r\n")]
    [TestCase("\nvideo")]
    public void Check_RefusesANameWithANewline(string name)
    {
        // Names become queue names and routing keys; a trailing newline must not slip past the pattern's '$'.
        Assert.Throws<CarrotInputException>(() => WorkerRules.Check(name, 4));
    }

    [TestCase(null)]
    [TestCase(1)]
    [TestCase(1000)]
    public void Check_AcceptsConcurrency_FromOneToAThousand_OrNone(int? concurrency)
    {
        Assert.That(() => WorkerRules.Check("video", concurrency), Throws.Nothing);
    }

    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(1001)]
    [TestCase(int.MaxValue)]
    public void Check_RefusesConcurrency_OutOfRange(int concurrency)
    {
        var error = Assert.Throws<CarrotInputException>(() => WorkerRules.Check("video", concurrency));

        Assert.That(error!.Message, Is.EqualTo($"Concurrency {concurrency} is out of range: a worker runs 1 to 1000 tasks at once."));
    }
}

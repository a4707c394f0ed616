using System.Text.Json;
using Carrot.Errors;
using Carrot.Kallables;
using NUnit.Framework;

namespace Carrot.Tests.Unit.Kallables;

[TestFixture]
public sealed class JsonArgumentsTests
{
    private const int Plenty = 1024 * 1024;

    [Test]
    public void Normalize_CompactsValidInput()
    {
        var (args, kwargs) = JsonArguments.Normalize(" [ \"Rex\" ,\n 3 ] ", "{ \"times\" : 2,\t\"loud\": true }", Plenty);

        Assert.Multiple(() =>
        {
            Assert.That(args, Is.EqualTo("""["Rex",3]"""));
            Assert.That(kwargs, Is.EqualTo("""{"times":2,"loud":true}"""));
        });
    }

    [TestCase(null, null)]
    [TestCase("", "")]
    [TestCase("  ", "\n")]
    public void Normalize_DefaultsMissingInput_ToEmptyArrayAndObject(string? args, string? kwargs)
    {
        Assert.That(JsonArguments.Normalize(args, kwargs, Plenty), Is.EqualTo(("[]", "{}")));
    }

    [Test]
    public void Normalize_KeepsTheValues_OfNonAsciiText()
    {
        var (args, _) = JsonArguments.Normalize("""["Grüße, 世界 🥕", "<a&b>"]""", null, Plenty);

        using var parsed = JsonDocument.Parse(args);
        Assert.That(parsed.RootElement.EnumerateArray().Select(e => e.GetString()), Is.EqualTo((string[])["Grüße, 世界 🥕", "<a&b>"]));
    }

    [Test]
    public void Normalize_KeepsNumbers_Exactly()
    {
        var (args, _) = JsonArguments.Normalize("[12345678901234567890123, 0.1, -1e300]", null, Plenty);

        Assert.That(args, Is.EqualTo("[12345678901234567890123,0.1,-1e300]"));
    }

    [Test]
    public void Normalize_RefusesMalformedArgs_SayingWhereAndWhatToPass()
    {
        var error = Assert.Throws<CarrotInputException>(() => JsonArguments.Normalize("[1, 2", null, Plenty));

        Assert.That(error!.Message, Does.StartWith("args is not valid JSON (at character")
            .And.Contain(": [1, 2.")
            .And.Contain("Pass a JSON array, e.g. [\"Rex\", 3]"));
    }

    [Test]
    public void Normalize_RefusesMalformedKwargs_SayingWhatToPass()
    {
        var error = Assert.Throws<CarrotInputException>(() => JsonArguments.Normalize("[]", "{times: 3}", Plenty));

        Assert.That(error!.Message, Does.StartWith("kwargs is not valid JSON").And.Contain("Pass a JSON object, e.g. {\"times\": 3}"));
    }

    [Test]
    public void Normalize_ShortensLongMalformedInput_InTheError()
    {
        var text = "[" + string.Concat(Enumerable.Repeat("1,", 100));

        var error = Assert.Throws<CarrotInputException>(() => JsonArguments.Normalize(text, null, Plenty));

        Assert.That(error!.Message, Does.Contain(text[..40] + "…").And.Not.Contain(text[..41]));
    }

    [TestCase("{\"a\": 1}", "an object")]
    [TestCase("\"Rex\"", "a string")]
    [TestCase("3", "a number")]
    [TestCase("true", "a boolean")]
    [TestCase("null", "null")]
    public void Normalize_RefusesArgs_ThatAreNotAnArray(string args, string got)
    {
        var error = Assert.Throws<CarrotInputException>(() => JsonArguments.Normalize(args, null, Plenty));

        Assert.That(error!.Message, Is.EqualTo($"args must be a JSON array, e.g. [\"Rex\", 3]; got {got}."));
    }

    [TestCase("[1]", "an array")]
    [TestCase("\"x\"", "a string")]
    public void Normalize_RefusesKwargs_ThatAreNotAnObject(string kwargs, string got)
    {
        var error = Assert.Throws<CarrotInputException>(() => JsonArguments.Normalize(null, kwargs, Plenty));

        Assert.That(error!.Message, Is.EqualTo($"kwargs must be a JSON object, e.g. {{\"times\": 3}}; got {got}."));
    }

    [Test]
    public void Normalize_RefusesInput_OverTheSizeLimit()
    {
        var args = "[\"" + new string('x', 2000) + "\"]";

        var error = Assert.Throws<CarrotInputException>(() => JsonArguments.Normalize(args, "{}", 1000));

        Assert.That(error!.Message, Does.StartWith("args and kwargs together are 2,006 bytes, over the limit of 1,000.")
            .And.Contain("Pass a reference"));
    }

    [Test]
    public void Normalize_CountsTheLimit_InUtf8Bytes()
    {
        // Eight characters, but "é" is two bytes in UTF-8: 4 + 4 * 2 = 12 bytes, plus "{}".
        const string args = "[\"éééé\"]";

        Assert.Multiple(() =>
        {
            Assert.That(() => JsonArguments.Normalize(args, null, 14), Throws.Nothing);
            Assert.That(() => JsonArguments.Normalize(args, null, 13), Throws.TypeOf<CarrotInputException>());
        });
    }

    [Test]
    public void Normalize_ChecksTheSize_BeforeParsing()
    {
        // A huge malformed payload is refused for its size, without being parsed.
        var error = Assert.Throws<CarrotInputException>(() => JsonArguments.Normalize(new string('[', 5000), null, 100));

        Assert.That(error!.Message, Does.Contain("over the limit"));
    }

    [Test]
    public void Normalize_AcceptsNesting_UpToTheLimit()
    {
        var args = Nested(JsonArguments.MaxDepth);

        Assert.That(JsonArguments.Normalize(args, null, Plenty).Args, Is.EqualTo(args));
    }

    [Test]
    public void Normalize_RefusesNesting_DeeperThanTheLimit()
    {
        var error = Assert.Throws<CarrotInputException>(() => JsonArguments.Normalize(Nested(JsonArguments.MaxDepth + 1), null, Plenty));

        Assert.That(error!.Message, Is.EqualTo("args is nested deeper than 64 levels. Flatten the data, or pass a reference to it."));
    }

    [Test]
    public void Normalize_RefusesDeeplyNestedKwargs()
    {
        var kwargs = "{\"a\":" + Nested(JsonArguments.MaxDepth) + "}";

        var error = Assert.Throws<CarrotInputException>(() => JsonArguments.Normalize(null, kwargs, Plenty));

        Assert.That(error!.Message, Does.StartWith("kwargs is nested deeper than 64 levels"));
    }

    [Test]
    public void Normalize_RefusesTrailingContent()
    {
        Assert.Throws<CarrotInputException>(() => JsonArguments.Normalize("[1] [2]", null, Plenty));
    }

    [Test]
    public void Normalize_RefusesDuplicateKwargNames()
    {
        // {"times": 1, "times": 2} is legal JSON text, but which value is meant? The binder later fails on it with
        // a plain ArgumentException; it should be refused here, before anything is written.
        var error = Assert.Throws<CarrotInputException>(() => JsonArguments.Normalize("[\"Rex\"]", """{"times": 1, "times": 2}""", Plenty));

        Assert.That(error!.Message, Does.Contain("times"));
    }

    private static string Nested(int depth) => new string('[', depth) + new string(']', depth);
}

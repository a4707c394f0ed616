using Carrot.Errors;

namespace Carrot.Tests.Unit.Errors;

[TestFixture]
public sealed class InputEchoTests
{
    [Test]
    public void Shorten_KeepsShortInputAsItIs()
    {
        Assert.That(InputEcho.Shorten("MyLib.Jobs.Bark"), Is.EqualTo("MyLib.Jobs.Bark"));
    }

    [Test]
    public void Shorten_CutsLongInput_AndSaysHowLongItWas()
    {
        var shortened = InputEcho.Shorten(new string('a', 6000));

        Assert.That(shortened, Is.EqualTo(new string('a', InputEcho.MaxChars) + "… (6,000 characters)"));
    }

    [Test]
    public void Shorten_ReplacesControlCharacters_SoTheMessageStaysOneLine()
    {
        Assert.That(InputEcho.Shorten("a\nb\u001b[31mc"), Is.EqualTo("a?b?[31mc"));
    }

    [Test]
    public void Shorten_NeverSplitsASurrogatePair()
    {
        var text = new string('a', InputEcho.MaxChars - 1) + "😀" + "tail";

        var shortened = InputEcho.Shorten(text);

        Assert.That(shortened, Does.StartWith(new string('a', InputEcho.MaxChars - 1) + "…"));
    }
}

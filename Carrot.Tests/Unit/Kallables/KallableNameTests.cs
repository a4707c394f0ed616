using Carrot.Errors;
using Carrot.Kallables;
using NUnit.Framework;

namespace Carrot.Tests.Unit.Kallables;

[TestFixture]
public sealed class KallableNameTests
{
    [Test]
    public void Parse_SplitsTypeAndMethod_AtTheLastDot()
    {
        var name = KallableName.Parse("MyLib.Jobs.Bark");

        Assert.Multiple(() =>
        {
            Assert.That(name.TypeName, Is.EqualTo("MyLib.Jobs"));
            Assert.That(name.MethodName, Is.EqualTo("Bark"));
            Assert.That(name.ToString(), Is.EqualTo("MyLib.Jobs.Bark"));
        });
    }

    [Test]
    public void Parse_KeepsNestedTypes_JoinedWithPlus()
    {
        var name = KallableName.Parse("MyLib.Jobs+Nested.Ping");

        Assert.Multiple(() =>
        {
            Assert.That(name.TypeName, Is.EqualTo("MyLib.Jobs+Nested"));
            Assert.That(name.MethodName, Is.EqualTo("Ping"));
        });
    }

    [Test]
    public void Parse_AcceptsUnderscoresAndDigits_InNames()
    {
        var name = KallableName.Parse("My_Lib2.Jobs_3.Do_It4");

        Assert.That(name, Is.EqualTo(new KallableName("My_Lib2.Jobs_3", "Do_It4")));
    }

    [TestCase("System.IO.File.Delete")]
    [TestCase("System.Diagnostics.Process.Start")]
    [TestCase("Microsoft.Win32.Registry.SetValue")]
    [TestCase("Carrot.Storage.TaskStore.InsertAsync")]
    [TestCase("Internal.Runtime.Foo.Bar")]
    [TestCase("Interop.Sys.Kill")]
    public void Parse_RefusesFrameworkAndCarrotCode(string kallable)
    {
        var error = Assert.Throws<CarrotInputException>(() => KallableName.Parse(kallable));

        Assert.That(error!.Message, Does.Contain(kallable).And.Contain("never framework or Carrot code"));
    }

    [TestCase("")]
    [TestCase("   ")]
    [TestCase(null)]
    public void Parse_RefusesAnEmptyName(string? kallable)
    {
        var error = Assert.Throws<CarrotInputException>(() => KallableName.Parse(kallable));

        Assert.That(error!.Message, Does.StartWith("The kallable is empty").And.Contain("Namespace.Type.Method"));
    }

    [TestCase("Bark")]
    [TestCase(".Bark")]
    [TestCase("MyLib.Jobs.")]
    [TestCase("MyLib..Jobs.Bark")]
    [TestCase("MyLib.Jobs.Bark()")]
    [TestCase("MyLib.Jobs.Bark;rm")]
    [TestCase("MyLib.Jobs Bark")]
    [TestCase("MyLib/Jobs.Bark")]
    [TestCase("MyLib.Jobs`1.Bark")]
    [TestCase("MyLib.Jobs,MyLib.Bark")]
    public void Parse_RefusesText_ThatIsNotANamespaceTypeMethodName(string kallable)
    {
        var error = Assert.Throws<CarrotInputException>(() => KallableName.Parse(kallable));

        Assert.That(error!.Message, Does.Contain($"'{kallable}' is not a kallable name").And.Contain("e.g. MyLib.Jobs.Bark"));
    }
}

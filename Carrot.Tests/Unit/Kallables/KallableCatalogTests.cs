using Carrot.Errors;
using Carrot.Kallables;
using NUnit.Framework;

namespace Carrot.Tests.Unit.Kallables;

[TestFixture]
public sealed class KallableCatalogTests
{
    private static KallableCatalog LoadMyLibFolder() => KallableCatalog.Load([TestAssets.MyLibFolder]);

    [Test]
    public void Load_FromTheBuildFolder_ResolvesAStaticMethod()
    {
        var target = LoadMyLibFolder().Resolve("MyLib.Jobs.Bark");

        Assert.Multiple(() =>
        {
            Assert.That(target.Name, Is.EqualTo("MyLib.Jobs.Bark"));
            Assert.That(target.Type.FullName, Is.EqualTo("MyLib.Jobs"));
            Assert.That(target.Overloads, Has.Count.EqualTo(1));
            Assert.That(target.Overloads[0].GetParameters().Select(p => p.Name), Is.EqualTo((string[])["name", "times", "context"]));
        });
    }

    [Test]
    public void Load_FromTheDllPath_ResolvesAStaticMethod()
    {
        var catalog = KallableCatalog.Load([TestAssets.MyLibDll]);

        var target = catalog.Resolve("MyLib.Jobs.Bark");

        Assert.Multiple(() =>
        {
            Assert.That(catalog.AssemblyPaths, Is.EqualTo(new[] { TestAssets.MyLibDll }));
            Assert.That(target.Type.FullName, Is.EqualTo("MyLib.Jobs"));
        });
    }

    [Test]
    public void Load_LoadsTheTaskAssembly_InItsOwnLoadContext()
    {
        var target = LoadMyLibFolder().Resolve("MyLib.Jobs.Bark");

        var context = System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(target.Type.Assembly);
        Assert.That(context, Is.Not.SameAs(System.Runtime.Loader.AssemblyLoadContext.Default));
        Assert.That(context!.Name, Is.EqualTo("carrot-task:MyLib"));
    }

    [Test]
    public void Load_SharesCarrotAbstractions_WithTheHost()
    {
        // TaskContext in Bark's signature must be the host's TaskContext, or the daemon could not inject it.
        var target = LoadMyLibFolder().Resolve("MyLib.Jobs.Bark");

        var contextParameter = target.Overloads[0].GetParameters()[2];
        Assert.That(contextParameter.ParameterType, Is.SameAs(typeof(Carrot.Tasks.TaskContext)));
    }

    [Test]
    public void Resolve_FindsANestedTypesMethod_NamedWithPlus()
    {
        var target = LoadMyLibFolder().Resolve("MyLib.Jobs+Nested.Ping");

        Assert.Multiple(() =>
        {
            Assert.That(target.Type.FullName, Is.EqualTo("MyLib.Jobs+Nested"));
            Assert.That(target.Overloads.Single().Name, Is.EqualTo("Ping"));
        });
    }

    [Test]
    public void Resolve_FindsAnInstanceMethod_OfAConcreteClass()
    {
        var target = LoadMyLibFolder().Resolve("MyLib.Greeter.Greet");

        Assert.Multiple(() =>
        {
            Assert.That(target.Type.FullName, Is.EqualTo("MyLib.Greeter"));
            Assert.That(target.Overloads.Single().IsStatic, Is.False);
        });
    }

    [Test]
    public void Resolve_ReturnsEveryOverload_OfTheName()
    {
        var target = LoadMyLibFolder().Resolve("MyLib.Jobs.Add");

        Assert.That(
            target.Overloads.Select(m => m.GetParameters()[0].ParameterType).OrderBy(t => t.Name),
            Is.EqualTo(new[] { typeof(int), typeof(string) }));
    }

    [Test]
    public void Resolve_RefusesAnUnknownType_NamingTheAssembliesSearched()
    {
        var error = Assert.Throws<CarrotInputException>(() => LoadMyLibFolder().Resolve("MyLib.Nope.Bark"));

        Assert.That(error!.Message, Does.Contain("Unknown kallable 'MyLib.Nope.Bark'")
            .And.Contain("no public type MyLib.Nope")
            .And.Contain("MyLib.dll")
            .And.Contain("nested types use '+'"));
    }

    [Test]
    public void Resolve_RefusesANestedType_WrittenWithADot()
    {
        var error = Assert.Throws<CarrotInputException>(() => LoadMyLibFolder().Resolve("MyLib.Jobs.Nested.Ping"));

        Assert.That(error!.Message, Does.Contain("no public type MyLib.Jobs.Nested").And.Contain("'+'"));
    }

    [Test]
    public void Resolve_RefusesAnUnknownMethod_OfAKnownType()
    {
        var error = Assert.Throws<CarrotInputException>(() => LoadMyLibFolder().Resolve("MyLib.Jobs.Meow"));

        Assert.That(error!.Message, Is.EqualTo("Unknown kallable 'MyLib.Jobs.Meow': MyLib.Jobs has no public method named Meow."));
    }

    [TestCase("MyLib.Jobs.ToString")]
    [TestCase("MyLib.Jobs.GetType")]
    [TestCase("MyLib.FileReport.get_Path")]
    public void Resolve_RefusesInheritedMethodsAndAccessors(string kallable)
    {
        Assert.Throws<CarrotInputException>(() => LoadMyLibFolder().Resolve(kallable));
    }

    [TestCase("System.IO.File.Delete")]
    [TestCase("System.Diagnostics.Process.Start")]
    [TestCase("Carrot.Storage.TaskStore.InsertAsync")]
    public void Resolve_RefusesFrameworkCode_EvenWithATaskAssemblyLoaded(string kallable)
    {
        var error = Assert.Throws<CarrotInputException>(() => LoadMyLibFolder().Resolve(kallable));

        Assert.That(error!.Message, Does.Contain("never framework or Carrot code"));
    }

    [Test]
    public void Resolve_DoesNotReachFrameworkTypes_ThroughADifferentlyCasedName()
    {
        Assert.Throws<CarrotInputException>(() => LoadMyLibFolder().Resolve("system.IO.File.Delete"));
    }

    [Test]
    public void Load_FromTheBuildFolder_SkipsDependenciesCopiedBesideTheTaskAssembly()
    {
        // Carrot.Abstractions.dll sits in MyLib's output, but it is not a task assembly (it has no deps.json of its own).
        var catalog = LoadMyLibFolder();

        Assert.That(catalog.AssemblyPaths.Select(Path.GetFileName), Is.EqualTo((string[])["MyLib.dll"]));
    }

    [Test]
    public void Resolve_WithNoTaskAssemblies_SaysHowToConfigureThem()
    {
        var error = Assert.Throws<CarrotConfigurationException>(() => KallableCatalog.Empty.Resolve("MyLib.Jobs.Bark"));

        Assert.That(error!.Message, Does.Contain("No task assemblies are configured").And.Contain("CARROT_TASK_ASSEMBLIES"));
    }

    [Test]
    public void All_ListsTheSampleKallables()
    {
        var names = LoadMyLibFolder().All().Select(k => k.Name).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(names, Does.Contain("MyLib.Jobs.Bark"));
            Assert.That(names, Does.Contain("MyLib.Jobs+Nested.Ping"));
            Assert.That(names, Does.Contain("MyLib.Greeter.Greet"));
            Assert.That(names.Count(n => n == "MyLib.Jobs.Add"), Is.EqualTo(2));
            Assert.That(names, Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
        });
    }

    [Test]
    public void Load_RefusesAPathThatDoesNotExist()
    {
        using var temp = new TempFolder();
        var missing = temp.File("nothing-here.dll");

        var error = Assert.Throws<CarrotConfigurationException>(() => KallableCatalog.Load([missing]));

        Assert.That(error!.Message, Does.Contain(missing).And.Contain("does not exist"));
    }

    [Test]
    public void Load_RefusesAFolderWithoutTaskAssemblies()
    {
        using var temp = new TempFolder();

        var error = Assert.Throws<CarrotConfigurationException>(() => KallableCatalog.Load([temp.Path]));

        Assert.That(error!.Message, Does.Contain($"No task assembly in the folder {temp.Path}").And.Contain(".deps.json"));
    }

    [Test]
    public void Load_RefusesAFileThatIsNotAnAssembly()
    {
        using var temp = new TempFolder();
        var junk = temp.File("Junk.dll");
        File.WriteAllText(junk, "not a PE file");

        var error = Assert.Throws<CarrotConfigurationException>(() => KallableCatalog.Load([junk]));

        Assert.That(error!.Message, Does.Contain($"Cannot load the task assembly {junk}"));
    }

    [Test]
    public void Load_RefusesTheSameAssembly_ConfiguredTwice()
    {
        var error = Assert.Throws<CarrotConfigurationException>(() => KallableCatalog.Load([TestAssets.MyLibFolder, TestAssets.MyLibDll]));

        Assert.That(error!.Message, Does.Contain("MyLib is configured twice"));
    }

    [Test]
    public void Load_RefusesACarrotAssembly_ListedAsATaskAssembly()
    {
        var abstractions = Path.Combine(TestAssets.MyLibFolder, "Carrot.Abstractions.dll");

        var error = Assert.Throws<CarrotConfigurationException>(() => KallableCatalog.Load([abstractions]));

        Assert.That(error!.Message, Does.Contain("is a framework or Carrot assembly"));
    }
}

using Carrot.Kallables;

namespace Carrot.Tests.Unit.Kallables;

/// <summary>Loading a catalogue again: unchanged assemblies keep their context, changed ones get a new one, and files are never held.</summary>
[TestFixture]
public sealed class KallableCatalogReloadTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = TempFolder.Create();

    [TearDown]
    public void DeleteFolder() => TempFolder.Delete(_folder);

    [Test]
    public void Reload_KeepsTheContextOfAnUnchangedAssembly()
    {
        var dll = Install(1);
        var first = KallableCatalog.Load([dll]);

        var second = KallableCatalog.Load([dll], first);

        Assert.That(second.Assemblies.Single().Context, Is.SameAs(first.Assemblies.Single().Context));
    }

    [Test]
    public void Reload_LoadsAnOverwrittenAssemblyInANewContext_AndTheOldCodeStillRuns()
    {
        var dll = Install(1);
        var first = KallableCatalog.Load([dll]);

        Install(2);
        var second = KallableCatalog.Load([dll], first);

        Assert.Multiple(() =>
        {
            Assert.That(second.Assemblies.Single().Context, Is.Not.SameAs(first.Assemblies.Single().Context));
            Assert.That(Version(first), Is.EqualTo("1"));
            Assert.That(Version(second), Is.EqualTo("2"));
            Assert.That(second.All().Select(k => k.Name), Does.Contain("VersionedTasks.Tasks.Added"));
        });
    }

    [Test]
    public void Reload_OfACorruptAssembly_Throws_AndLeavesThePreviousCatalogueWorking()
    {
        var dll = Install(1);
        var first = KallableCatalog.Load([dll]);

        File.WriteAllText(dll, "not an assembly");

        Assert.Throws<Carrot.Errors.CarrotConfigurationException>(() => KallableCatalog.Load([dll], first));
        Assert.That(Version(first), Is.EqualTo("1"));
    }

    [Test]
    public void LoadedAssembly_CanBeDeletedAndReplacedOnDisk()
    {
        var dll = Install(1);
        var catalog = KallableCatalog.Load([dll]);

        File.Delete(dll);
        Install(2);

        Assert.That(Version(catalog), Is.EqualTo("1"));
        Assert.That(Version(KallableCatalog.Load([dll])), Is.EqualTo("2"));
    }

    private string Install(int version)
    {
        foreach (var file in Directory.EnumerateFiles(TestAssets.VersionedTasksFolder(version), "VersionedTasks.*"))
        {
            File.Copy(file, Path.Combine(_folder, Path.GetFileName(file)), overwrite: true);
        }

        return Path.Combine(_folder, "VersionedTasks.dll");
    }

    private static string? Version(KallableCatalog catalog) =>
        (string?)catalog.Resolve("VersionedTasks.Tasks.Version").Overloads.Single().Invoke(null, null);
}

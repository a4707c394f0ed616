using Carrot.Errors;
using Carrot.Kallables;
using NUnit.Framework;

namespace Carrot.Tests.Unit.Kallables;

[TestFixture]
public sealed class TaskAssemblyPathsTests
{
    [Test]
    public void Expand_TakesFromAFolder_OnlyAssembliesWithTheirOwnDepsJson()
    {
        Assume.That(File.Exists(Path.Combine(TestAssets.MyLibFolder, "Carrot.Abstractions.dll")), "the sample's output should hold a copied dependency");

        var paths = TaskAssemblyPaths.Expand([TestAssets.MyLibFolder]);

        Assert.That(paths, Is.EqualTo(new[] { TestAssets.MyLibDll }));
    }

    [Test]
    public void Expand_KeepsAnExplicitDll_AsAFullPath()
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, TestAssets.MyLibDll);

        var paths = TaskAssemblyPaths.Expand([relative]);

        Assert.That(paths, Is.EqualTo(new[] { TestAssets.MyLibDll }));
    }

    [Test]
    public void Expand_ListsAFoldersAssemblies_InOrdinalOrder()
    {
        using var temp = new TempFolder();
        foreach (var name in new[] { "b", "A", "a", "Lonely" })
        {
            File.WriteAllText(temp.File(name + ".dll"), "");
            if (name != "Lonely")
            {
                File.WriteAllText(temp.File(name + ".deps.json"), "{}");
            }
        }

        var paths = TaskAssemblyPaths.Expand([temp.Path]);

        Assert.That(paths.Select(Path.GetFileName), Is.EqualTo((string[])["A.dll", "a.dll", "b.dll"]));
    }

    [Test]
    public void Expand_RefusesAMissingPath()
    {
        using var temp = new TempFolder();
        var missing = Path.Combine(temp.Path, "gone");

        var error = Assert.Throws<CarrotConfigurationException>(() => TaskAssemblyPaths.Expand([missing]));

        Assert.That(error!.Message, Does.Contain($"The task assembly path {missing} does not exist"));
    }

    [Test]
    public void Expand_RefusesAFolder_WhoseDllsHaveNoDepsJson()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("Dependency.dll"), "");

        var error = Assert.Throws<CarrotConfigurationException>(() => TaskAssemblyPaths.Expand([temp.Path]));

        Assert.That(error!.Message, Does.Contain("No task assembly in the folder"));
    }

    [Test]
    public void Expand_ReturnsNothing_ForNothingConfigured()
    {
        Assert.That(TaskAssemblyPaths.Expand([]), Is.Empty);
    }
}

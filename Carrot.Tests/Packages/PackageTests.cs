using System.IO.Compression;
using System.Xml.Linq;
using Carrot.Tests.Support;

namespace Carrot.Tests.Packages;

/// <summary>
/// The NuGet packages as a user gets them: packed by scripts/pack.sh, restored from a folder feed at this run's own
/// version into a packages folder of the consumer's own, built, and run against a real RabbitMQ, SQLite file and carrotd.
/// </summary>
[TestFixture]
[Category("Packages")]
public sealed class PackageTests : SandboxTest
{
    [Test]
    public async Task Pack_MakesTheLibraryPackagesOnly_EachWithReadmeLicenseDocsAndSymbols()
    {
        var feed = await PackageFeed.GetAsync();

        var expected = PackageFeed.PackageIds.SelectMany(id => new[] { $"{id}.{feed.Version}.nupkg", $"{id}.{feed.Version}.snupkg" });
        Assert.That(Directory.GetFiles(feed.Folder).Select(Path.GetFileName), Is.EquivalentTo(expected), "the daemon, CLI, tests, bench, soak and samples make no package");
        foreach (var id in PackageFeed.PackageIds)
        {
            using var package = ZipFile.OpenRead(Path.Combine(feed.Folder, $"{id}.{feed.Version}.nupkg"));
            var files = package.Entries.Select(e => e.FullName).ToList();
            var nuspec = XDocument.Load(package.GetEntry($"{id}.nuspec")!.Open());
            var metadata = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            string? Field(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
            using var symbols = ZipFile.OpenRead(Path.Combine(feed.Folder, $"{id}.{feed.Version}.snupkg"));

            Assert.Multiple(() =>
            {
                Assert.That(Field("license"), Is.EqualTo("Apache-2.0"), id);
                Assert.That(Field("readme"), Is.EqualTo("README.md"), id);
                Assert.That(Field("description"), Is.Not.Empty, id);
                Assert.That(files, Does.Contain("README.md").And.Contain($"lib/net10.0/{id}.dll").And.Contain($"lib/net10.0/{id}.xml"), id);
                Assert.That(symbols.Entries.Select(e => e.FullName), Does.Contain($"lib/net10.0/{id}.pdb"), id);
            });
        }
    }

    [Test]
    public async Task Consumer_RestoredFromTheFeed_EnqueuesATaskThatCarrotdRuns()
    {
        var feed = await PackageFeed.GetAsync();
        var consumer = Path.Combine(Sandbox.Folder, "consumer");
        var packages = Path.Combine(Sandbox.Folder, "packages");
        CopyFolder(Path.Combine(RepositoryPaths.Root, "testassets", "PackageConsumer"), consumer);
        feed.WriteNuGetConfig(consumer);

        var build = await PackageFeed.DotnetAsync(["build", Path.Combine(consumer, "PackageConsumer.csproj"), "-c", "Release", "-nologo", "-clp:ErrorsOnly", .. feed.RestoreProperties(packages)], TimeSpan.FromMinutes(6));
        Assert.That(build.ExitCode, Is.EqualTo(0), build.Output);
        Assert.That(Directory.Exists(Path.Combine(packages, "carrot.core", feed.Version)), Is.True, "Carrot.Core came from this run's feed into the consumer's own packages folder");

        await Sandbox.StartDaemonAsync();
        var run = await ProcessRunner.RunAsync("dotnet", [Path.Combine(consumer, "bin", "Release", "net10.0", "PackageConsumer.dll")], Sandbox.Environment(), TimeSpan.FromMinutes(2));

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
        Assert.That(run.StdOut, Does.Match("""^\d+ succeeded "Rex: Woof! Woof!"\s*$"""));
    }

    internal static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, relative))!);
            File.Copy(file, Path.Combine(to, relative));
        }
    }
}

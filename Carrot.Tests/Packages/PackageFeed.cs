using Carrot.Tests.Support;

namespace Carrot.Tests.Packages;

/// <summary>
/// Carrot's NuGet packages, packed once per test run by <c>scripts/pack.sh</c> into a folder feed of their own, at a
/// version of their own (<c>0.1.0-test.&lt;time&gt;.&lt;random&gt;</c>): no package cache or earlier feed holds that
/// version, so what a consumer restores is this run's build. Consumers restore into a packages folder of their
/// own too (<see cref="RestoreProperties"/>), so nothing of this run lands in the machine's NuGet cache.
/// </summary>
internal sealed class PackageFeed
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static PackageFeed? _feed;

    private PackageFeed(string folder, string version)
    {
        Folder = folder;
        Version = version;
    }

    public string Folder { get; }

    public string Version { get; }

    /// <summary>The packages the feed must hold, each with its symbols.</summary>
    public static IReadOnlyList<string> PackageIds { get; } = ["Carrot.Abstractions", "Carrot.Core", "Carrot.Extensions.DependencyInjection"];

    public static async Task<PackageFeed> GetAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return _feed ??= await PackAsync();
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Removes the feed at the end of the run (called by <see cref="PackageFeedCleanup"/>).</summary>
    public static void DeleteIfPacked()
    {
        if (_feed is not null)
        {
            Directory.Delete(_feed.Folder, recursive: true);
            _feed = null;
        }
    }

    /// <summary>
    /// Writes a nuget.config into <paramref name="folder"/> that adds this feed to the machine's package sources,
    /// so a project there (and below) can restore Carrot's packages at <see cref="Version"/>.
    /// </summary>
    public void WriteNuGetConfig(string folder) =>
        File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="carrot-test-feed" value="{Folder}" />
              </packageSources>
            </configuration>
            """);

    /// <summary>
    /// MSBuild properties for restoring against this feed: Carrot's version, and a packages folder of the
    /// consumer's own (<paramref name="packagesFolder"/>) with the machine's global packages folder as a read-only
    /// fallback, so third-party packages need no download and Carrot's come from this feed.
    /// </summary>
    public IReadOnlyList<string> RestoreProperties(string packagesFolder) =>
    [
        $"-p:CarrotVersion={Version}",
        $"-p:RestorePackagesPath={packagesFolder}",
        $"-p:RestoreFallbackFolders={GlobalPackagesFolder()}",
    ];

    /// <summary>Runs the dotnet CLI as a developer would, without the variables the test host's own dotnet set.</summary>
    public static Task<ProcessResult> DotnetAsync(IEnumerable<string> args, TimeSpan timeout) =>
        ProcessRunner.RunAsync("dotnet", args, DotnetEnvironment(), timeout);

    private static Dictionary<string, string?> DotnetEnvironment() => new()
    {
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        ["MSBuildExtensionsPath"] = null,
        ["MSBuildSDKsPath"] = null,
        ["MSBUILD_EXE_PATH"] = null,
        ["MSBuildLoadMicrosoftTargetsReadOnly"] = null,
    };

    private static string GlobalPackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static async Task<PackageFeed> PackAsync()
    {
        var version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Random.Shared.Next(1000, 10000)}";
        var folder = Path.Combine(Path.GetTempPath(), "carrot-tests", "feed-" + version);
        var pack = await ProcessRunner.RunAsync("bash", [Path.Combine(RepositoryPaths.Root, "scripts", "pack.sh"), "--output", folder, "--version", version],
            DotnetEnvironment(), TimeSpan.FromMinutes(8));
        if (pack.ExitCode != 0 && Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Assert.That(pack.ExitCode, Is.EqualTo(0), "scripts/pack.sh failed:\n" + pack.Output);
        return new PackageFeed(folder, version);
    }
}

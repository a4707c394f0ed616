namespace Carrot.Tests.Support;

/// <summary>Where the repository, the sample task library and the carrot/carrotd executables are for this test run.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release, read from where the test assembly was built.</summary>
    public static string Configuration { get; } = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string MyLibFolder => Path.Combine(Root, "samples", "MyLib", "bin", Configuration, "net10.0");

    /// <summary>The folder of one build (1 or 2) of testassets/VersionedTasks, for the reload tests.</summary>
    public static string VersionedTasksFolder(int version) => Path.Combine(Root, "testassets", "VersionedTasks", "bin", Configuration, $"v{version}", "net10.0");

    /// <summary>The published executables when scripts/test.sh set CARROT_TEST_BIN, else the build output.</summary>
    public static string Carrot => Executable("carrot", "Carrot.Cli");

    public static string Carrotd => Executable("carrotd", "Carrot.Daemon");

    private static string Executable(string name, string project)
    {
        var published = Environment.GetEnvironmentVariable("CARROT_TEST_BIN");
        var path = string.IsNullOrEmpty(published)
            ? Path.Combine(Root, project, "bin", Configuration, "net10.0", name)
            : Path.Combine(published, name, name);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: build the solution (or run scripts/test.sh) first.");
    }

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "carrot.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No carrot.sln above {AppContext.BaseDirectory}.");
    }
}

namespace Carrot.Tests.Unit;

/// <summary>
/// Finds the repository and the sample task library's build output from wherever the test assembly runs.
/// The sample is built alongside the tests (a ProjectReference with ReferenceOutputAssembly=false), in the
/// same configuration as the tests.
/// </summary>
internal static class TestAssets
{
    private static readonly Lazy<string> Root = new(FindRepositoryRoot);

    /// <summary>The folder that holds carrot.sln.</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary>Debug or Release: the folder above net10.0 in the test assembly's own output path.</summary>
    public static string Configuration
    {
        get
        {
            var assemblyFolder = Path.GetDirectoryName(typeof(TestAssets).Assembly.Location)
                ?? throw new InvalidOperationException("The test assembly has no location.");
            var configuration = Path.GetFileName(Path.GetDirectoryName(assemblyFolder.TrimEnd(Path.DirectorySeparatorChar)));
            return string.IsNullOrEmpty(configuration)
                ? throw new InvalidOperationException($"Cannot tell the build configuration from {assemblyFolder}; expected .../bin/<Configuration>/net10.0/.")
                : configuration;
        }
    }

    /// <summary>samples/MyLib/bin/&lt;Configuration&gt;/net10.0.</summary>
    public static string MyLibFolder
    {
        get
        {
            var folder = Path.Combine(RepositoryRoot, "samples", "MyLib", "bin", Configuration, "net10.0");
            return File.Exists(Path.Combine(folder, "MyLib.dll"))
                ? folder
                : throw new InvalidOperationException($"The sample task library is not built at {folder}. Build Carrot.Tests (it builds samples/MyLib too).");
        }
    }

    public static string MyLibDll => Path.Combine(MyLibFolder, "MyLib.dll");

    /// <summary>One build (1 or 2) of testassets/VersionedTasks, whose tasks return their build number.</summary>
    public static string VersionedTasksFolder(int version) => Path.Combine(RepositoryRoot, "testassets", "VersionedTasks", "bin", Configuration, $"v{version}", "net10.0");

    private static string FindRepositoryRoot()
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

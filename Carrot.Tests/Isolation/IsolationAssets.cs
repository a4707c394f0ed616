using Carrot.Tests.Support;

namespace Carrot.Tests.Isolation;

/// <summary>The build outputs of the isolation tests' task libraries (built with Carrot.Tests, in its configuration).</summary>
internal static class IsolationAssets
{
    /// <summary>testassets/PinnedDependencyTasks: a library on Serilog 3.1.1, where carrotd has Serilog 4.</summary>
    public static string PinnedDependencyFolder => Output("PinnedDependencyTasks");

    /// <summary>testassets/CrashingTasks: tasks that end their process, and neighbours that behave.</summary>
    public static string CrashingTasksFolder => Output("CrashingTasks");

    /// <summary>
    /// The configuration a test of process workers needs: both libraries as task assemblies, and — when the tests run
    /// on the build output rather than scripts/test.sh's published programs (where carrot-runner is beside carrotd, as
    /// installed) — where carrot-runner was built.
    /// </summary>
    public static Dictionary<string, object> Settings(params (string Key, object Value)[] more)
    {
        var settings = new Dictionary<string, object> { ["taskAssemblies"] = new[] { PinnedDependencyFolder, CrashingTasksFolder } };
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CARROT_TEST_BIN")))
        {
            settings["runnerPath"] = Path.Combine(RepositoryPaths.Root, "Carrot.Runner", "bin", RepositoryPaths.Configuration, "net10.0", "carrot-runner");
        }

        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    private static string Output(string project)
    {
        var folder = Path.Combine(RepositoryPaths.Root, "testassets", project, "bin", RepositoryPaths.Configuration, "net10.0");
        return File.Exists(Path.Combine(folder, project + ".dll"))
            ? folder
            : throw new InvalidOperationException($"{project} is not built at {folder}. Build Carrot.Tests (it builds testassets/{project} too).");
    }
}

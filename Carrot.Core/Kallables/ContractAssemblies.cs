using System.Reflection;
using System.Text.Json;

namespace Carrot.Kallables;

/// <summary>
/// The one rule for which assemblies a task library shares with the process that runs it (carrotd for an in-process worker,
/// carrot-runner for a process worker): the framework, <c>Carrot.Abstractions</c>, and the logging and dependency-injection
/// abstractions that <c>TaskContext</c> and <c>ILogger&lt;T&gt;</c> are made of. Everything else a task library needs
/// comes from its own <c>.deps.json</c> first, so a library built against Serilog 3 runs with Serilog 3 even though
/// carrotd ships Serilog 4.
/// </summary>
internal sealed class ContractAssemblies
{
    /// <summary>The contracts beyond the framework: the types that cross between Carrot and task code.</summary>
    public static readonly IReadOnlyList<string> SharedLibraries =
    [
        "Carrot.Abstractions",
        "Microsoft.Extensions.Logging.Abstractions",
        "Microsoft.Extensions.DependencyInjection.Abstractions",
    ];

    private readonly HashSet<string> _shared;

    private ContractAssemblies(HashSet<string> shared) => _shared = shared;

    /// <summary>The framework assemblies of this process, and the shared libraries.</summary>
    public static ContractAssemblies ForThisProcess()
    {
        var shared = new HashSet<string>(FrameworkAssemblyNames(), StringComparer.OrdinalIgnoreCase);
        shared.UnionWith(SharedLibraries);
        return new ContractAssemblies(shared);
    }

    public bool IsShared(AssemblyName name) => name.Name is null || _shared.Contains(name.Name);

    public bool IsShared(string simpleName) => _shared.Contains(simpleName);

    /// <summary>
    /// The framework's own assemblies. Framework-dependent, they are the files of the runtime's folder; self-contained
    /// (the .deb), that folder is the application's own, so the entry assembly's .deps.json says which files came from
    /// the runtime pack.
    /// </summary>
    private static IEnumerable<string> FrameworkAssemblyNames()
    {
        var runtimeFolder = Path.GetDirectoryName(typeof(object).Assembly.Location);
        var appFolder = Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory);
        if (string.IsNullOrEmpty(runtimeFolder))
        {
            return [];
        }

        if (!string.Equals(Path.TrimEndingDirectorySeparator(runtimeFolder), appFolder, StringComparison.Ordinal))
        {
            return Directory.EnumerateFiles(runtimeFolder, "*.dll").Select(Path.GetFileNameWithoutExtension).OfType<string>();
        }

        var entry = Assembly.GetEntryAssembly()?.GetName().Name;
        var depsJson = entry is null ? null : Path.Combine(appFolder, entry + ".deps.json");
        return depsJson is not null && File.Exists(depsJson) ? RuntimePackAssemblies(depsJson) : [];
    }

    private static List<string> RuntimePackAssemblies(string depsJson)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(depsJson));
        var names = new List<string>();
        if (!document.RootElement.TryGetProperty("targets", out var targets))
        {
            return names;
        }

        foreach (var target in targets.EnumerateObject())
        {
            foreach (var library in target.Value.EnumerateObject().Where(l => l.Name.StartsWith("runtimepack.", StringComparison.Ordinal)))
            {
                if (library.Value.TryGetProperty("runtime", out var runtime))
                {
                    names.AddRange(runtime.EnumerateObject().Select(file => Path.GetFileNameWithoutExtension(file.Name)));
                }
            }
        }

        return names;
    }
}

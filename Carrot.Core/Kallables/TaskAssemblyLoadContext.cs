using System.Reflection;
using System.Runtime.Loader;

namespace Carrot.Kallables;

/// <summary>
/// One per task assembly, so each brings its own dependencies. Whatever the host already has (the framework,
/// Carrot.Abstractions, Microsoft.Extensions.*) is shared with the host, so <c>TaskContext</c> and
/// <c>ILogger&lt;T&gt;</c> are the same types on both sides. Collectible, so an assembly can later be replaced.
/// </summary>
internal sealed class TaskAssemblyLoadContext(string mainAssemblyPath, IReadOnlySet<string> hostAssemblies)
    : AssemblyLoadContext($"carrot-task:{Path.GetFileNameWithoutExtension(mainAssemblyPath)}", isCollectible: true)
{
    private readonly AssemblyDependencyResolver _resolver = new(mainAssemblyPath);
    private readonly string _folder = Path.GetDirectoryName(mainAssemblyPath)!;

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is null || hostAssemblies.Contains(assemblyName.Name))
        {
            return null;
        }

        var path = _resolver.ResolveAssemblyToPath(assemblyName);
        if (path is null)
        {
            var candidate = Path.Combine(_folder, assemblyName.Name + ".dll");
            path = File.Exists(candidate) ? candidate : null;
        }

        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }

    /// <summary>Simple names of every assembly the host can load itself (its trusted platform assemblies).</summary>
    public static IReadOnlySet<string> FindHostAssemblies()
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string tpa)
        {
            foreach (var path in tpa.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                names.Add(Path.GetFileNameWithoutExtension(path));
            }
        }

        foreach (var loaded in Default.Assemblies)
        {
            if (loaded.GetName().Name is { } name)
            {
                names.Add(name);
            }
        }

        names.Add(typeof(Tasks.TaskContext).Assembly.GetName().Name!);
        return names;
    }
}

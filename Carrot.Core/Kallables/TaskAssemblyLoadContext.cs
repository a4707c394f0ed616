using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Loader;
using System.Security.Cryptography;

namespace Carrot.Kallables;

/// <summary>
/// One per task assembly, so each brings its own dependencies: an assembly its <c>.deps.json</c> (or its folder)
/// provides is loaded from there even when the host has its own copy. Only the contracts
/// (<see cref="ContractAssemblies"/>: the framework, Carrot.Abstractions, the logging and DI abstractions) come from
/// the host, so <c>TaskContext</c> and <c>ILogger&lt;T&gt;</c> are the same types on both sides; what the library
/// does not bring at all falls back to the host. Collectible, so an assembly can later be replaced.
/// </summary>
/// <remarks>
/// Assemblies are read into memory and loaded from there, never from their path: a path load memory-maps the
/// file, and a deployment that overwrites a mapped .dll under a running daemon crashes it (SIGBUS) or feeds it
/// half-written code. From a copy, the file on disk can be replaced at any time and a reload picks it up.
/// </remarks>
internal sealed class TaskAssemblyLoadContext : AssemblyLoadContext
{
    private readonly AssemblyDependencyResolver _resolver;
    private readonly ContractAssemblies _contracts;
    private readonly string _folder;
    private readonly string _depsJson;
    private readonly string? _depsJsonFingerprint;

    // Every file this context has read (main assembly and dependencies, loaded lazily as code first needs them), with its content hash.
    private readonly ConcurrentDictionary<string, string> _loadedFiles = new(StringComparer.Ordinal);

    public TaskAssemblyLoadContext(string mainAssemblyPath, ContractAssemblies contracts)
        : base($"carrot-task:{Path.GetFileNameWithoutExtension(mainAssemblyPath)}", isCollectible: true)
    {
        MainAssemblyPath = mainAssemblyPath;
        _resolver = new AssemblyDependencyResolver(mainAssemblyPath);
        _contracts = contracts;
        _folder = Path.GetDirectoryName(mainAssemblyPath)!;
        _depsJson = Path.ChangeExtension(mainAssemblyPath, ".deps.json");
        _depsJsonFingerprint = FingerprintOrNull(_depsJson);
    }

    public string MainAssemblyPath { get; }

    public Assembly LoadMainAssembly() => LoadCopy(MainAssemblyPath);

    /// <summary>
    /// True when every file this context read, and the main assembly's .deps.json, still has the same content on
    /// disk: a reload can keep this context (and the task library's static state) instead of loading it again.
    /// </summary>
    public bool IsUnchangedOnDisk() =>
        FingerprintOrNull(_depsJson) == _depsJsonFingerprint
        && _loadedFiles.All(file => FingerprintOrNull(file.Key) == file.Value);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (_contracts.IsShared(assemblyName))
        {
            return null;
        }

        var path = _resolver.ResolveAssemblyToPath(assemblyName);
        if (path is null)
        {
            var candidate = Path.Combine(_folder, assemblyName.Name + ".dll");
            // Falls back to the host (null) for what the library does not bring itself.
            path = File.Exists(candidate) ? candidate : null;
        }

        return path is null ? null : LoadCopy(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }

    private Assembly LoadCopy(string path)
    {
        var bytes = File.ReadAllBytes(path);
        _loadedFiles[path] = Fingerprint(bytes);
        using var image = new MemoryStream(bytes, writable: false);

        // The symbols give line numbers in the stack traces stored with failed tasks.
        var pdb = Path.ChangeExtension(path, ".pdb");
        if (!File.Exists(pdb))
        {
            return LoadFromStream(image);
        }

        using var symbols = new MemoryStream(File.ReadAllBytes(pdb), writable: false);
        return LoadFromStream(image, symbols);
    }

    private static string Fingerprint(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes));

    private static string? FingerprintOrNull(string path)
    {
        try
        {
            return File.Exists(path) ? Fingerprint(File.ReadAllBytes(path)) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "unreadable";
        }
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

using System.Reflection;
using Carrot.Errors;

namespace Carrot.Kallables;

/// <summary>
/// The allow-list: public methods of public types in the configured task assemblies, and nothing else. A
/// kallable is looked up by name in this catalogue, never handed to <c>Type.GetType</c>, so a name from the
/// database or the broker can only ever reach code the operator chose to deploy.
/// </summary>
internal sealed class KallableCatalog
{
    private readonly Dictionary<string, Type> _types;

    private KallableCatalog(IReadOnlyList<TaskAssembly> assemblies, Dictionary<string, Type> types)
    {
        Assemblies = assemblies;
        AssemblyPaths = assemblies.Select(a => a.Path).ToList();
        _types = types;
    }

    public IReadOnlyList<string> AssemblyPaths { get; }

    /// <summary>The loaded task assemblies, each in its own collectible context.</summary>
    public IReadOnlyList<TaskAssembly> Assemblies { get; }

    public static KallableCatalog Empty { get; } = new([], new Dictionary<string, Type>());

    public static KallableCatalog Load(IEnumerable<string> configured) => Load(configured, previous: null);

    /// <summary>
    /// Loads the configured task assemblies. An assembly of <paramref name="previous"/> at the same path whose
    /// files are unchanged on disk keeps its context; every other one gets a new context. On failure the new
    /// contexts are unloaded again and <paramref name="previous"/> is untouched, so a daemon can keep using it.
    /// </summary>
    public static KallableCatalog Load(IEnumerable<string> configured, KallableCatalog? previous)
    {
        var paths = TaskAssemblyPaths.Expand(configured);
        var host = TaskAssemblyLoadContext.FindHostAssemblies();
        var contracts = ContractAssemblies.ForThisProcess();
        var reusable = (previous?.Assemblies ?? []).ToDictionary(a => a.Path, StringComparer.Ordinal);
        var loaded = new List<TaskAssembly>();
        try
        {
            var types = new Dictionary<string, Type>(StringComparer.Ordinal);
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var path in paths)
            {
                var taskAssembly = reusable.TryGetValue(path, out var kept) && kept.Context.IsUnchangedOnDisk()
                    ? kept
                    : LoadNew(path, contracts);
                loaded.Add(taskAssembly);
                var assembly = taskAssembly.Assembly;

                var name = assembly.GetName().Name ?? path;
                if (!names.Add(name))
                {
                    throw new CarrotConfigurationException($"The task assembly {name} is configured twice (again at {path}). List each task assembly once.");
                }

                if (host.Contains(name))
                {
                    throw new CarrotConfigurationException($"{path} is a framework or Carrot assembly, not a task assembly. Remove it from taskAssemblies.");
                }

                foreach (var type in ExportedTypes(assembly))
                {
                    if (type.FullName is { } fullName && !type.IsGenericTypeDefinition)
                    {
                        types.TryAdd(fullName, type);
                    }
                }
            }

            return new KallableCatalog(loaded, types);
        }
        catch
        {
            foreach (var fresh in loaded.Where(a => !reusable.ContainsValue(a)))
            {
                fresh.Context.Unload();
            }

            throw;
        }
    }

    private static TaskAssembly LoadNew(string path, ContractAssemblies contracts)
    {
        var context = new TaskAssemblyLoadContext(path, contracts);
        try
        {
            return new TaskAssembly(path, context.LoadMainAssembly(), context);
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException or IOException or UnauthorizedAccessException)
        {
            context.Unload();
            throw new CarrotConfigurationException($"Cannot load the task assembly {path}: {e.Message} Build it for net10.0, or remove it from taskAssemblies.", e);
        }
    }

    public KallableTarget Resolve(string kallable)
    {
        var name = KallableName.Parse(kallable);
        if (AssemblyPaths.Count == 0)
        {
            throw new CarrotConfigurationException("No task assemblies are configured, so no kallable can be found. Set \"taskAssemblies\" in the configuration file or CARROT_TASK_ASSEMBLIES.");
        }

        if (!_types.TryGetValue(name.TypeName, out var type))
        {
            throw new CarrotInputException($"Unknown kallable '{InputEcho.Shorten(kallable)}': no public type {InputEcho.Shorten(name.TypeName)} in the task assemblies ({string.Join(", ", AssemblyPaths.Select(Path.GetFileName))}). Check the spelling (nested types use '+'), or see 'carrot kallables list'.");
        }

        var candidates = type.GetMethods(KallableRule.Candidates).Where(m => m.Name == name.MethodName).ToList();
        if (candidates.Count == 0)
        {
            throw new CarrotInputException($"Unknown kallable '{InputEcho.Shorten(kallable)}': {name.TypeName} has no public method named {InputEcho.Shorten(name.MethodName)}.");
        }

        // The overloads that are kallables, by the same rule as the listing; the others are not there to run.
        var overloads = candidates.Where(m => KallableRule.WhyNot(type, m) is null).ToList();
        if (overloads.Count == 0)
        {
            throw new CarrotInputException($"'{kallable}' {KallableRule.WhyNot(type, candidates[0])} See 'carrot kallables list'.");
        }

        return new KallableTarget(kallable, type, overloads);
    }

    /// <summary>Every kallable the catalogue holds, for listings: what <see cref="Resolve"/> accepts, by <see cref="KallableRule"/>.</summary>
    public IEnumerable<(string Name, MethodInfo Method)> All() =>
        _types.Values
            .SelectMany(t => t.GetMethods(KallableRule.Candidates)
                .Where(m => KallableRule.WhyNot(t, m) is null)
                .Select(m => ($"{t.FullName}.{m.Name}", m)))
            .OrderBy(k => k.Item1, StringComparer.Ordinal);

    private static IEnumerable<Type> ExportedTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetExportedTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.OfType<Type>().Where(t => t.IsVisible);
        }
    }
}

using Carrot.Errors;

namespace Carrot.Kallables;

/// <summary>
/// Turns the configured list into assembly paths. A folder contributes each assembly that has its own
/// <c>.deps.json</c> beside it: the build output's main assemblies, not the dependencies copied next to them,
/// whose public methods nobody meant to expose as tasks.
/// </summary>
internal static class TaskAssemblyPaths
{
    public static IReadOnlyList<string> Expand(IEnumerable<string> configured)
    {
        var result = new List<string>();
        foreach (var entry in configured)
        {
            var full = Path.GetFullPath(entry);
            if (File.Exists(full))
            {
                result.Add(full);
            }
            else if (Directory.Exists(full))
            {
                var found = Directory.EnumerateFiles(full, "*.dll")
                    .Where(dll => File.Exists(Path.ChangeExtension(dll, ".deps.json")))
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (found.Count == 0)
                {
                    throw new CarrotConfigurationException($"No task assembly in the folder {full}: a folder contributes each .dll that has its .deps.json beside it (a build or publish output). Point taskAssemblies at that output, or list the .dll itself.");
                }

                result.AddRange(found);
            }
            else
            {
                throw new CarrotConfigurationException($"The task assembly path {full} does not exist. Build the task library (dotnet build), or fix taskAssemblies / CARROT_TASK_ASSEMBLIES.");
            }
        }

        return result;
    }
}

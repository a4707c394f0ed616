using Carrot.Configuration;
using Carrot.Errors;
using Carrot.Kallables;

namespace Carrot.Diagnostics;

/// <summary>The task assemblies load as carrotd would load them, and expose kallables.</summary>
internal static class TaskAssemblyChecks
{
    private const string Area = "tasks";

    public static IEnumerable<DiagnosticCheck> Run(CarrotOptions options)
    {
        if (options.TaskAssemblies.Count == 0)
        {
            return [DiagnosticCheck.Warn(Area, "No task assemblies are configured: every task fails.", $"Set \"taskAssemblies\" to your task library's build output (a folder or .dll), or {CarrotConfiguration.TaskAssembliesVariable}; then systemctl reload carrotd.")];
        }

        KallableCatalog catalog;
        try
        {
            catalog = KallableCatalog.Load(options.TaskAssemblies);
        }
        catch (CarrotConfigurationException e)
        {
            return [DiagnosticCheck.Fail(Area, e.Message, "Fix \"taskAssemblies\" or rebuild the library, then systemctl reload carrotd.")];
        }

        var kallables = catalog.All().GroupBy(k => k.Method.DeclaringType!.Assembly).ToDictionary(g => g.Key, g => g.Count());
        return catalog.Assemblies.Select(a =>
        {
            var count = kallables.GetValueOrDefault(a.Assembly);
            return count > 0
                ? DiagnosticCheck.Ok(Area, $"{a.Path}: {count} kallable(s)")
                : DiagnosticCheck.Warn(Area, $"{a.Path} loads but exposes no kallable (no public method on a public type).", "Make the task methods public, on public types.");
        }).ToList();
    }
}

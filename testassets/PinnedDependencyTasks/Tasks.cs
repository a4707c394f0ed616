using System.Reflection;

namespace PinnedDependencyTasks;

/// <summary>Tasks that say which copy of their dependency they were given.</summary>
public static class Tasks
{
    /// <summary>The informational version of the Serilog assembly this library's code sees (3.1.1 when it got its own).</summary>
    public static string SerilogVersion() =>
        typeof(Serilog.Log).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+', '-')[0]
        ?? typeof(Serilog.Log).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <summary>Uses Serilog 3 for real: a logger configured and written to, as the library's own code would.</summary>
    public static string LogWithOwnSerilog()
    {
        using var logger = new Serilog.LoggerConfiguration().MinimumLevel.Debug().CreateLogger();
        logger.Information("written with Serilog {Version}", SerilogVersion());
        return SerilogVersion();
    }
}

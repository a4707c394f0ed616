namespace Carrot.Configuration;

/// <summary>Where Carrot looks when nothing says otherwise. The CLI and the daemon run as one user find the same files.</summary>
public static class DefaultPaths
{
    /// <summary>The system-wide configuration file, which the package installs and the service reads.</summary>
    public const string SystemConfig = "/etc/carrot/carrot.json";

    /// <c>$XDG_DATA_HOME/carrot/carrot.db</c>, else <c>~/.local/share/carrot/carrot.db</c>.
    public static string Database()
    {
        var dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (string.IsNullOrWhiteSpace(dataHome))
        {
            dataHome = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        }

        return Path.Combine(dataHome, "carrot", "carrot.db");
    }
}

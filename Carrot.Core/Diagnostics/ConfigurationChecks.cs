using Carrot.Configuration;

namespace Carrot.Diagnostics;

/// <summary>Where the configuration came from, and whether a file holding the broker password is readable by everyone.</summary>
internal static class ConfigurationChecks
{
    public static IEnumerable<DiagnosticCheck> Run(CarrotOptions options, BrokerAddressList broker)
    {
        if (!File.Exists(options.Source))
        {
            yield return DiagnosticCheck.Warn("config", $"No configuration file: using {options.Source} and CARROT_* variables.",
                $"Write {DefaultPaths.SystemConfig} (the package installs one), or pass --config PATH / set {CarrotConfiguration.ConfigVariable}.");
            yield break;
        }

        yield return DiagnosticCheck.Ok("config", $"{options.Source} (parsed; CARROT_* variables applied on top)");
        var holdsPassword = broker.Redacted.Contains("***", StringComparison.Ordinal);
        var folder = Path.GetDirectoryName(Path.GetFullPath(options.Source))!;
        if (holdsPassword && FileModes.IsWorldReadable(options.Source) && FileModes.IsWorldSearchable(folder))
        {
            yield return DiagnosticCheck.Warn("config", $"{options.Source} holds the broker password and every user can read it.",
                $"chmod o-rwx {options.Source} (the package makes it root:carrot 0640).");
        }
    }
}

using System.Text.Json;
using Carrot.Errors;
using Microsoft.Extensions.Configuration;

namespace Carrot.Configuration;

/// <summary>
/// Reads the options: a JSON file (<c>--config</c>, else <c>CARROT_CONFIG</c>, else <c>/etc/carrot/carrot.json</c>
/// when present, else built-in defaults), then <c>CARROT_</c> environment variables on top.
/// Relative paths in a file are taken relative to that file's folder.
/// </summary>
public static class CarrotConfiguration
{
    /// <summary>The variable that names the configuration file when <c>--config</c> does not.</summary>
    public const string ConfigVariable = "CARROT_CONFIG";
    /// <summary>Overrides <c>database</c>.</summary>
    public const string DatabaseVariable = "CARROT_DATABASE";
    /// <summary>Overrides <c>broker</c>: one AMQP URI, or a cluster's nodes comma-separated.</summary>
    public const string BrokerVariable = "CARROT_BROKER";
    /// <summary>Overrides <c>queueType</c> (<c>classic</c> or <c>quorum</c>).</summary>
    public const string QueueTypeVariable = "CARROT_QUEUE_TYPE";
    /// <summary>Overrides <c>taskAssemblies</c>, as a <c>:</c>-separated list.</summary>
    public const string TaskAssembliesVariable = "CARROT_TASK_ASSEMBLIES";
    /// <summary>Overrides <c>workers</c>, as a <c>,</c>-separated list.</summary>
    public const string WorkersVariable = "CARROT_WORKERS";
    /// <summary>Overrides <c>enqueueSocket</c> (a path, or <c>off</c>).</summary>
    public const string EnqueueSocketVariable = "CARROT_ENQUEUE_SOCKET";

    /// <summary>Reads the options as the CLI and the daemon do: <paramref name="configPath"/>, else <c>CARROT_CONFIG</c>, else the system file, then the process's <c>CARROT_*</c> variables.</summary>
    public static CarrotOptions Load(string? configPath = null) => Load(configPath, Environment.GetEnvironmentVariable);

    /// <summary>As <see cref="Load(string?)"/>, with the environment read through <paramref name="environment"/> (for tests).</summary>
    public static CarrotOptions Load(string? configPath, Func<string, string?> environment)
    {
        var path = FindConfigFile(configPath, environment);
        var builder = new ConfigurationBuilder();
        var options = new CarrotOptions();
        try
        {
            if (path is not null)
            {
                // Read here rather than through AddJsonFile: its file-provider machinery costs every CLI call ~5 ms.
                builder.AddJsonStream(new MemoryStream(File.ReadAllBytes(path), writable: false));
            }

            var root = builder.Build();
            root.Bind(options);
            BrokerListBinding.Apply(root, options, path ?? "the configuration");
            WorkersSetting.ReadShape(root, options, path);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or FormatException or InvalidOperationException)
        {
            throw new CarrotConfigurationException($"The configuration file {path} is not valid: {Flatten(e)} Fix the file or point --config elsewhere.", e);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            // Exists but cannot be opened: most often a file readable by root only, read by the service's user.
            throw new CarrotConfigurationException($"The configuration file {path} cannot be read ({e.GetType().Name}: {e.Message}). Give {Environment.UserName} read access to it, or point --config elsewhere.", e);
        }

        if (path is not null)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
            if (string.IsNullOrWhiteSpace(options.Database))
            {
                throw new CarrotConfigurationException($"\"database\" is empty in {path}. Give the path of the SQLite file or a postgresql:// URI, or leave the key out for the default.");
            }

            options.Database = DatabaseAddress.Resolve(options.Database, folder);
            options.TaskAssemblies = options.TaskAssemblies.Select(p => Path.GetFullPath(p, folder)).ToList();
            options.EnqueueSocket = ResolveSocket(options.EnqueueSocket, folder);
            options.Source = path;
        }

        ApplyEnvironment(options, environment);
        Validate(options);
        return options;
    }

    /// <summary>
    /// Options from an application's configuration section (such as <c>"Carrot"</c> in appsettings.json), with the keys
    /// of carrot.json. Relative paths are taken from <paramref name="baseFolder"/>; the <c>CARROT_</c> variables read
    /// through <paramref name="environment"/> override, and the options are checked, as for a file.
    /// </summary>
    public static CarrotOptions FromSection(IConfiguration section, string baseFolder, Func<string, string?> environment)
    {
        var options = SectionOptions.Bind(section, baseFolder);
        ApplyEnvironment(options, environment);
        Validate(options);
        return options;
    }

    private static string? FindConfigFile(string? configPath, Func<string, string?> environment)
    {
        var explicitPath = !string.IsNullOrWhiteSpace(configPath) ? configPath : environment(ConfigVariable);
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            var full = Path.GetFullPath(explicitPath);
            if (!File.Exists(full))
            {
                throw new CarrotConfigurationException($"The configuration file {full} does not exist. Create it or point --config / {ConfigVariable} at an existing file.");
            }

            return full;
        }

        return File.Exists(DefaultPaths.SystemConfig) ? DefaultPaths.SystemConfig : null;
    }

    private static void ApplyEnvironment(CarrotOptions options, Func<string, string?> environment)
    {
        var database = environment(DatabaseVariable);
        if (!string.IsNullOrWhiteSpace(database))
        {
            options.Database = DatabaseAddress.Resolve(database, baseFolder: null);
        }

        var broker = environment(BrokerVariable);
        if (!string.IsNullOrWhiteSpace(broker))
        {
            options.Broker = broker;
        }

        var queueType = environment(QueueTypeVariable);
        if (!string.IsNullOrWhiteSpace(queueType))
        {
            options.QueueType = QueueTypeSetting.TryParse(queueType, out _) ? queueType.Trim() : throw QueueTypeSetting.Refuse(QueueTypeVariable, queueType);
        }

        var assemblies = environment(TaskAssembliesVariable);
        if (!string.IsNullOrWhiteSpace(assemblies))
        {
            options.TaskAssemblies = assemblies
                .Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(Path.GetFullPath)
                .ToList();
        }

        var socket = environment(EnqueueSocketVariable);
        if (!string.IsNullOrWhiteSpace(socket))
        {
            options.EnqueueSocket = ResolveSocket(socket, Environment.CurrentDirectory);
        }

        var workers = environment(WorkersVariable);
        if (!string.IsNullOrWhiteSpace(workers))
        {
            options.Workers = WorkersSetting.FromVariable(workers);
        }
    }

    private static void Validate(CarrotOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Database))
        {
            throw new CarrotConfigurationException($"No database path is configured. Set \"database\" in the configuration file or {DatabaseVariable}.");
        }

        _ = DatabaseAddress.Parse(options.Database);
        _ = BrokerAddressList.Parse(options.Broker);
        CarrotOptionsValidator.Validate(options);
    }

    /// <summary>A socket path made absolute against <paramref name="folder"/>; empty and <c>off</c> stay as they are.</summary>
    internal static string ResolveSocket(string value, string folder)
    {
        var trimmed = value.Trim();
        return trimmed.Length == 0 || Handoff.HandoffSocket.IsOff(trimmed) ? trimmed : Path.GetFullPath(trimmed, folder);
    }

    private static string Flatten(Exception e) => e.InnerException is null ? e.Message : $"{e.Message} {Flatten(e.InnerException)}";
}

using Carrot.Client;
using Carrot.Configuration;
using Microsoft.Data.Sqlite;

namespace Carrot.Tests.Support;

/// <summary>
/// One test's world: its own folder, SQLite file, configuration file and RabbitMQ virtual host, with the
/// sample task library configured. Processes started from here see only this configuration.
/// </summary>
internal sealed class CarrotSandbox : IAsyncDisposable
{
    private readonly List<DaemonProcess> _daemons = [];
    private readonly List<ProcessResult> _cliRuns = [];

    private CarrotSandbox(string folder, RabbitMqNode node, string vhost)
    {
        Folder = folder;
        Node = node;
        BrokerUri = $"amqp://guest:guest@127.0.0.1:{node.AmqpPort}/{vhost}";
        DatabasePath = Path.Combine(folder, "carrot.db");
        ConfigPath = Path.Combine(folder, "carrot.json");
        WriteConfig(BrokerUri);
    }

    public string Folder { get; }

    /// <summary>Copies one build of testassets/VersionedTasks into the sandbox (over the previous one); returns the .dll's path.</summary>
    public string InstallVersionedTasks(int version)
    {
        var target = Path.Combine(Folder, "tasks");
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(RepositoryPaths.VersionedTasksFolder(version), "VersionedTasks.*"))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
        }

        return Path.Combine(target, "VersionedTasks.dll");
    }

    public RabbitMqNode Node { get; }

    public string BrokerUri { get; }

    public string DatabasePath { get; }

    public string ConfigPath { get; }

    public static async Task<CarrotSandbox> CreateAsync() => await CreateAsync(await SharedBroker.GetAsync());

    /// <summary>On a given node: fault tests use their own, since they stop and restart it.</summary>
    public static async Task<CarrotSandbox> CreateAsync(RabbitMqNode node)
    {
        var vhost = await SharedBroker.CreateVirtualHostAsync(node);
        var folder = Path.Combine(Path.GetTempPath(), "carrot-tests", "sandbox-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        return new CarrotSandbox(folder, node, vhost);
    }

    /// <summary>Rewrites the configuration (e.g. to point the CLI at a broker that is down).</summary>
    public void WriteConfig(string brokerUri, IDictionary<string, object>? extra = null)
    {
        var values = new Dictionary<string, object>
        {
            ["database"] = DatabasePath,
            ["broker"] = brokerUri,
            ["taskAssemblies"] = new[] { RepositoryPaths.MyLibFolder },
            ["shutdownGraceSeconds"] = 5,
            ["workerPollSeconds"] = 0.5,

            // Tests wait for "Task N … started", which carrotd logs at Debug.
            ["logLevel"] = "Debug",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, object>())
        {
            values[key] = value;
        }

        File.WriteAllText(ConfigPath, System.Text.Json.JsonSerializer.Serialize(values));
    }

    /// <summary>The environment for carrot and carrotd: this sandbox's config, nothing inherited that could override it.</summary>
    public Dictionary<string, string?> Environment() => new()
    {
        ["CARROT_CONFIG"] = ConfigPath,
        ["CARROT_DATABASE"] = null,
        ["CARROT_BROKER"] = null,
        ["CARROT_TASK_ASSEMBLIES"] = null,
        ["CARROT_ENQUEUE_SOCKET"] = null,
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
    };

    public async Task<ProcessResult> CarrotAsync(params string[] args)
    {
        var result = await ProcessRunner.RunAsync(RepositoryPaths.Carrot, args, Environment(), TimeSpan.FromSeconds(90));
        _cliRuns.Add(result);
        return result;
    }

    /// <summary>Runs carrot with variables of its own on top of the sandbox's (e.g. TRACEPARENT, CARROT_ENQUEUE_SOCKET).</summary>
    public async Task<ProcessResult> CarrotAsync(IReadOnlyDictionary<string, string?> extra, params string[] args)
    {
        var environment = Environment();
        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }

        var result = await ProcessRunner.RunAsync(RepositoryPaths.Carrot, args, environment, TimeSpan.FromSeconds(90));
        _cliRuns.Add(result);
        return result;
    }

    /// <summary>Runs carrot with <paramref name="stdin"/> on its standard input (e.g. for <c>enqueue --batch -</c>).</summary>
    public async Task<ProcessResult> CarrotWithInputAsync(string stdin, params string[] args)
    {
        var result = await ProcessRunner.RunAsync(RepositoryPaths.Carrot, args, Environment(), TimeSpan.FromSeconds(90), stdin: stdin);
        _cliRuns.Add(result);
        return result;
    }

    /// <summary>Every test doubles as a password check: the broker password ("guest") never shows in any output.</summary>
    private void AssertNoPasswordWasPrinted()
    {
        const string Leak = ":guest@";
        var leaks = _daemons.Select(d => d.Output).Concat(_cliRuns.Select(r => r.Output)).Where(o => o.Contains(Leak, StringComparison.Ordinal)).ToList();
        Assert.That(leaks, Is.Empty, "a broker password was printed");
    }

    public Task<DaemonProcess> StartDaemonAsync(bool waitUntilConsuming = true) =>
        StartAsync(DaemonProcess.Start(RepositoryPaths.Carrotd, Environment()), waitUntilConsuming);

    /// <summary>
    /// carrotd as another user, for faults that root does not meet (a file mode does not stop root). Needs root:
    /// the sandbox folder is handed to that user first, so the daemon can write its database there.
    /// </summary>
    public async Task<DaemonProcess> StartDaemonAsUserAsync(int uid, bool waitUntilConsuming = true)
    {
        var chown = await ProcessRunner.RunAsync("chown", ["-R", $"{uid}:{uid}", Folder], timeout: TimeSpan.FromSeconds(30));
        Assert.That(chown.ExitCode, Is.EqualTo(0), chown.Output);
        var environment = Environment();
        environment["HOME"] = Folder;
        return await StartAsync(DaemonProcess.Start("/usr/bin/setpriv", environment, $"--reuid={uid}", $"--regid={uid}", "--clear-groups", "--", RepositoryPaths.Carrotd), waitUntilConsuming);
    }

    private async Task<DaemonProcess> StartAsync(DaemonProcess daemon, bool waitUntilConsuming)
    {
        _daemons.Add(daemon);
        if (waitUntilConsuming)
        {
            await daemon.WaitForLogAsync("Consuming carrot.default", TimeSpan.FromSeconds(30));
        }

        return daemon;
    }

    public Task<CarrotClient> CreateClientAsync() => CarrotClient.CreateAsync(CarrotConfiguration.Load(ConfigPath, _ => null));

    /// <summary>A direct look at the database, for assertions the public API does not offer.</summary>
    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var daemon in _daemons)
        {
            await daemon.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
        {
            foreach (var daemon in _daemons)
            {
                await TestContext.Out.WriteLineAsync($"--- carrotd output ---{System.Environment.NewLine}{daemon.Output}");
            }
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a file still held open is removed with the temp folder later.
        }

        AssertNoPasswordWasPrinted();
    }
}

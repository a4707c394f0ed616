using System.Text.Json;
using Carrot.Client;
using Carrot.Configuration;
using Carrot.Records;
using Microsoft.Data.Sqlite;

namespace Carrot.Bench.Infrastructure;

/// <summary>
/// One measurement's world: its own folder, SQLite file, configuration and RabbitMQ virtual host, with the sample
/// task library configured, exactly as a user would set Carrot up (shipped durability settings).
/// </summary>
internal sealed class BenchWorld : IAsyncDisposable
{
    private readonly BenchBroker _broker;
    private readonly string _vhost;
    private int _daemons;

    private BenchWorld(BenchBroker broker, BenchPaths paths, string folder, string vhost)
    {
        _broker = broker;
        _vhost = vhost;
        Paths = paths;
        Folder = folder;
        DatabasePath = Path.Combine(folder, "carrot.db");
        ConfigPath = Path.Combine(folder, "carrot.json");
        File.WriteAllText(ConfigPath, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["database"] = DatabasePath,
            ["broker"] = broker.Uri(vhost),
            ["taskAssemblies"] = new[] { paths.MyLib },
        }));
    }

    public BenchPaths Paths { get; }

    public string Folder { get; }

    public string DatabasePath { get; }

    public string ConfigPath { get; }

    public static async Task<BenchWorld> CreateAsync(BenchBroker broker, BenchPaths paths, string name, CancellationToken cancellationToken)
    {
        var vhost = await broker.CreateVirtualHostAsync(cancellationToken);
        var folder = Path.Combine(paths.Scratch, $"{name}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(folder);
        return new BenchWorld(broker, paths, folder, vhost);
    }

    /// <summary>The environment for carrot and carrotd: this world's configuration and nothing inherited that overrides it.</summary>
    public Dictionary<string, string?> Environment() => new()
    {
        ["CARROT_CONFIG"] = ConfigPath,
        ["CARROT_DATABASE"] = null,
        ["CARROT_BROKER"] = null,
        ["CARROT_TASK_ASSEMBLIES"] = null,
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
    };

    public Task<CarrotClient> CreateClientAsync(CancellationToken cancellationToken) =>
        CarrotClient.CreateAsync(CarrotConfiguration.Load(ConfigPath, _ => null), cancellationToken);

    public Task<DaemonRunner> StartDaemonAsync(string worker, CancellationToken cancellationToken) =>
        DaemonRunner.StartAsync(Paths.Carrotd, Environment(), Path.Combine(Folder, $"carrotd-{++_daemons}.log"), worker, cancellationToken);

    public Task<(int ExitCode, string Output, TimeSpan Elapsed)> CarrotAsync(CancellationToken cancellationToken, params string[] args) =>
        ProcessTools.RunAsync(Paths.Carrot, args, Environment(), cancellationToken);

    /// <summary>Enqueues <paramref name="count"/> no-op tasks through the bulk API, in chunks; returns the first id.</summary>
    public static async Task<long> EnqueueNoopsAsync(CarrotClient client, int count, string worker, CancellationToken cancellationToken, int chunk = 1000)
    {
        long first = 0;
        for (var done = 0; done < count; done += chunk)
        {
            var requests = Enumerable.Range(0, Math.Min(chunk, count - done)).Select(_ => new EnqueueRequest { Kallable = "MyLib.Bench.Noop", Worker = worker }).ToList();
            var results = await client.EnqueueManyAsync(requests, cancellationToken);
            if (results.FirstOrDefault(r => !r.Published) is { } unconfirmed)
            {
                throw new InvalidOperationException($"The broker did not confirm task {unconfirmed.TaskId}: {unconfirmed.PublishError}");
            }

            first = first == 0 ? results[0].TaskId : first;
        }

        return first;
    }

    /// <summary>Waits until every task from <paramref name="firstId"/> on is finished; returns the elapsed time since <paramref name="since"/>.</summary>
    public async Task WaitForFinishedAsync(long firstId, long count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (await ScalarAsync<long>($"SELECT count(*) FROM tasks WHERE id >= {firstId} AND status IN ('succeeded', 'failed')", cancellationToken) < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Tasks from {firstId} were not all finished within {timeout.TotalSeconds} s.");
            }

            await Task.Delay(50, cancellationToken);
        }

        var failed = await ScalarAsync<long>($"SELECT count(*) FROM tasks WHERE id >= {firstId} AND status = 'failed'", cancellationToken);
        if (failed > 0)
        {
            throw new InvalidOperationException($"{failed} bench task(s) failed: {await ScalarAsync<string>($"SELECT error_message FROM tasks WHERE id >= {firstId} AND status = 'failed' LIMIT 1", cancellationToken)}");
        }
    }

    /// <summary>Tasks per second between the first start and the last finish the database recorded (daemon startup excluded).</summary>
    public async Task<double> RecordedRateAsync(long firstId, long count, CancellationToken cancellationToken)
    {
        var span = await ScalarAsync<long>($"SELECT max(finished_at) - min(started_at) FROM tasks WHERE id >= {firstId}", cancellationToken);
        return count / Math.Max(span / 1000.0, 0.001);
    }

    public async Task<T> ScalarAsync<T>(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False;Default Timeout=30");
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return (T)Convert.ChangeType(value ?? default(T)!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False;Default Timeout=60");
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 600;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            await _broker.DeleteVirtualHostAsync(_vhost, CancellationToken.None);
            Directory.Delete(Folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // Best effort: the scratch folder goes with the run.
        }
    }
}

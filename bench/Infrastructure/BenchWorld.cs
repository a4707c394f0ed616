using System.Data.Common;
using System.Text.Json;
using Carrot.Client;
using Carrot.Configuration;
using Carrot.Records;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Carrot.Bench.Infrastructure;

/// <summary>
/// One measurement's world: its own folder, store (an SQLite file, or a database of its own on the bench's durable
/// PostgreSQL server), configuration and RabbitMQ virtual host, with the sample task library configured, exactly as
/// a user would set Carrot up (shipped durability settings).
/// </summary>
internal sealed class BenchWorld : IAsyncDisposable
{
    private readonly BenchBroker _broker;
    private readonly string _vhost;
    private readonly BenchPostgres? _postgres;
    private readonly string? _pgDatabase;
    private readonly List<int> _daemonPids = [];
    private int _daemons;

    private BenchWorld(BenchBroker broker, BenchPaths paths, string folder, string vhost, BenchPostgres? postgres, string? pgDatabase)
    {
        _broker = broker;
        _vhost = vhost;
        _postgres = postgres;
        _pgDatabase = pgDatabase;
        Paths = paths;
        Folder = folder;
        Store = postgres is null ? BenchStore.Sqlite : BenchStore.Postgres;
        DatabasePath = Path.Combine(folder, "carrot.db");
        ConfigPath = Path.Combine(folder, "carrot.json");
        File.WriteAllText(ConfigPath, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["database"] = postgres is null ? DatabasePath : postgres.Uri(pgDatabase!),
            ["broker"] = broker.Uri(vhost),
            ["taskAssemblies"] = new[] { paths.MyLib },
        }));
    }

    public BenchPaths Paths { get; }

    public string Folder { get; }

    public BenchStore Store { get; }

    /// <summary>The SQLite file (SQLite worlds only).</summary>
    public string DatabasePath { get; }

    /// <summary>An Npgsql connection string to this world's database (PostgreSQL worlds), for the sampler.</summary>
    public string? PostgresConnectionString => _postgres?.ConnectionString(_pgDatabase!);

    public int? PostmasterPid => _postgres?.PostmasterPid();

    /// <summary>The pids of every daemon this world started (those that ended are simply no longer in /proc).</summary>
    public IReadOnlyList<int> DaemonPids()
    {
        lock (_daemonPids)
        {
            return _daemonPids.ToList();
        }
    }

    public string ConfigPath { get; }

    public static async Task<BenchWorld> CreateAsync(BenchBroker broker, BenchPaths paths, string name, BenchPostgres? postgres, CancellationToken cancellationToken)
    {
        var vhost = await broker.CreateVirtualHostAsync(cancellationToken);
        var folder = Path.Combine(paths.Scratch, $"{name}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(folder);
        var database = postgres is null ? null : await postgres.CreateDatabaseAsync(name, cancellationToken);
        return new BenchWorld(broker, paths, folder, vhost, postgres, database);
    }

    /// <summary>The environment for carrot and carrotd: this world's configuration and nothing inherited that overrides it.</summary>
    public Dictionary<string, string?> Environment() => new()
    {
        ["CARROT_CONFIG"] = ConfigPath,
        ["CARROT_DATABASE"] = null,
        ["CARROT_BROKER"] = null,
        ["CARROT_TASK_ASSEMBLIES"] = null,
        ["CARROT_ENQUEUE_SOCKET"] = null,
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
    };

    public Task<CarrotClient> CreateClientAsync(CancellationToken cancellationToken) =>
        CarrotClient.CreateAsync(CarrotConfiguration.Load(ConfigPath, _ => null), cancellationToken);

    public async Task<DaemonRunner> StartDaemonAsync(string worker, CancellationToken cancellationToken)
    {
        var log = Path.Combine(Folder, $"carrotd-{Interlocked.Increment(ref _daemons)}.log");
        var daemon = await DaemonRunner.StartAsync(Paths.Carrotd, Environment(), log, worker, cancellationToken);
        lock (_daemonPids)
        {
            _daemonPids.Add(daemon.Pid);
        }

        return daemon;
    }

    public Task<(int ExitCode, string Output, TimeSpan Elapsed)> CarrotAsync(CancellationToken cancellationToken, params string[] args) =>
        CarrotAsync(new Dictionary<string, string?>(), cancellationToken, args);

    /// <summary>With variables of its own on top of the world's (e.g. CARROT_ENQUEUE_SOCKET=off).</summary>
    public Task<(int ExitCode, string Output, TimeSpan Elapsed)> CarrotAsync(IReadOnlyDictionary<string, string?> extra, CancellationToken cancellationToken, params string[] args)
    {
        var environment = Environment();
        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }

        return ProcessTools.RunAsync(Paths.Carrot, args, environment, cancellationToken);
    }

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
        // One connection for the whole wait: a PostgreSQL connection per poll forked a server process 20 times a
        // second, CPU the drain being measured was charged with.
        await using var connection = await OpenAsync(cancellationToken);
        await using var poll = connection.CreateCommand();
        poll.CommandText = $"SELECT count(*) FROM tasks WHERE id >= {firstId} AND status IN ('succeeded', 'failed')";
        while (Convert.ToInt64(await poll.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) < count)
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
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 600;
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? default! : (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 900;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A connection of its own to this world's store (SQLite file or PostgreSQL database), outside Carrot.</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        DbConnection connection = _postgres is null
            ? new SqliteConnection($"Data Source={DatabasePath};Pooling=False;Default Timeout=60")
            : new NpgsqlConnection(_postgres.ConnectionString(_pgDatabase!));
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            await _broker.DeleteVirtualHostAsync(_vhost, CancellationToken.None);
            if (_postgres is not null)
            {
                await _postgres.DropDatabaseAsync(_pgDatabase!, CancellationToken.None);
            }

            Directory.Delete(Folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or NpgsqlException)
        {
            // Best effort: the scratch folder goes with the run.
        }
    }
}

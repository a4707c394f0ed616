using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Carrot.Bench.Infrastructure;

/// <summary>
/// A private PostgreSQL server (scripts/postgres-server.sh) with PostgreSQL's default durability — fsync and
/// synchronous_commit on, checked after start — on a free loopback port; each measurement gets its own database.
/// The script's watchdog stops it if the bench dies.
/// </summary>
internal sealed class BenchPostgres : IAsyncDisposable
{
    private readonly BenchPaths _paths;

    private BenchPostgres(BenchPaths paths, string folder, int port, string version)
    {
        _paths = paths;
        Folder = folder;
        Port = port;
        Version = version;
    }

    public string Folder { get; }

    public int Port { get; }

    /// <summary>server_version with the durability settings read back from the server.</summary>
    public string Version { get; }

    private string Script => Path.Combine(_paths.Root, "scripts", "postgres-server.sh");

    public static async Task<BenchPostgres> StartAsync(BenchPaths paths, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(paths.Scratch, "postgres");
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var env = new Dictionary<string, string?> { ["POSTGRES_OWNER_PID"] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture) };
        var script = Path.Combine(paths.Root, "scripts", "postgres-server.sh");
        var (code, output, _) = await ProcessTools.RunAsync("bash", [script, "start", folder, port.ToString(CultureInfo.InvariantCulture), "durable"], env, cancellationToken);
        if (code != 0)
        {
            throw new InvalidOperationException($"Could not start PostgreSQL: {output}");
        }

        await using var connection = new NpgsqlConnection(ConnectionString(port, "postgres"));
        await connection.OpenAsync(cancellationToken);
        var settings = new List<string>();
        foreach (var name in new[] { "server_version", "fsync", "synchronous_commit", "full_page_writes", "wal_sync_method", "shared_buffers" })
        {
            await using var command = new NpgsqlCommand($"SHOW {name}", connection);
            settings.Add($"{name}={await command.ExecuteScalarAsync(cancellationToken)}");
        }

        if (!settings.Contains("fsync=on") || !settings.Contains("synchronous_commit=on"))
        {
            throw new InvalidOperationException($"PostgreSQL is not durable: {string.Join(", ", settings)}");
        }

        return new BenchPostgres(paths, folder, port, string.Join(", ", settings));
    }

    public static string ConnectionString(int port, string database) =>
        $"Host=127.0.0.1;Port={port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Database={database};Pooling=false;Timeout=30;Command Timeout=900";

    public string ConnectionString(string database) => ConnectionString(Port, database);

    /// <summary>The database URI as a user writes it in carrot.json.</summary>
    public string Uri(string database) => $"postgresql://postgres@127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/{database}";

    public async Task<string> CreateDatabaseAsync(string prefix, CancellationToken cancellationToken)
    {
        var name = prefix.ToLowerInvariant().Replace('-', '_') + "_" + Guid.NewGuid().ToString("N")[..8];
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return name;
    }

    public async Task DropDatabaseAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The postmaster's pid (first line of postmaster.pid), so the CPU of this server's processes can be told from others'.</summary>
    public int? PostmasterPid()
    {
        var file = Path.Combine(Folder, "data", "postmaster.pid");
        return File.Exists(file) && int.TryParse(File.ReadLines(file).FirstOrDefault(), CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }

    public async ValueTask DisposeAsync() => await ProcessTools.RunAsync("bash", [Script, "stop", Folder], null, CancellationToken.None);
}

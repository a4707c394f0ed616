using System.Globalization;

namespace Carrot.Tests.Support;

/// <summary>
/// A private PostgreSQL server for tests: its own data folder and a free port on 127.0.0.1, started and stopped
/// with <c>scripts/postgres-server.sh</c> (initdb as the postgres user, since initdb refuses root). It also stops by
/// itself when this test process dies (the script's watchdog). Tests stay apart through databases of their own
/// (<see cref="CreateDatabaseAsync"/>).
/// </summary>
internal sealed class PostgresServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(90);
    private const int StartAttempts = 3;

    private int _disposed;

    private PostgresServer(string directory, int port)
    {
        Directory = directory;
        Port = port;
    }

    public string Directory { get; }

    public int Port { get; }

    /// <summary>The URI of one database on this server, as a user writes it in carrot.json.</summary>
    public string Uri(string database) => $"postgresql://postgres@127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/{database}";

    /// <summary>Starts a fresh server; <paramref name="durable"/> keeps fsync and synchronous_commit on (benchmarks).</summary>
    public static async Task<PostgresServer> StartAsync(bool durable, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            var port = LoopbackPorts.Free(1)[0];
            var directory = Path.Combine("/tmp", "carrot-tests", "pg-" + Guid.NewGuid().ToString("N"));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(directory)!);
            var result = await RunScriptAsync(
                ["start", directory, port.ToString(CultureInfo.InvariantCulture), .. (durable ? new[] { "durable" } : [])],
                StartTimeout, ct,
                new Dictionary<string, string?> { ["POSTGRES_OWNER_PID"] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture) });
            if (result.ExitCode == 0)
            {
                return new PostgresServer(directory, port);
            }

            await RunScriptAsync(["stop", directory], StopTimeout, CancellationToken.None);
            if (attempt >= StartAttempts)
            {
                throw new InvalidOperationException($"Could not start PostgreSQL (exit code {result.ExitCode}, port {port}):{Environment.NewLine}{result.Output}");
            }
        }
    }

    /// <summary>A new, empty database with a unique name; returns its URI.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken ct = default)
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await PsqlAsync($"CREATE DATABASE {name}", "postgres", ct);
        return Uri(name);
    }

    /// <summary>Runs one SQL statement with psql as the postgres superuser and returns its unaligned output.</summary>
    public async Task<string> PsqlAsync(string sql, string database, CancellationToken ct = default)
    {
        var result = await ProcessRunner.RunAsync("psql",
            ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-tAq", "-c", sql],
            timeout: TimeSpan.FromSeconds(60), ct: ct);
        return result.ExitCode == 0 ? result.StdOut.Trim() : throw new InvalidOperationException($"psql failed ({result.ExitCode}): {result.Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await RunScriptAsync(["stop", Directory], StopTimeout, CancellationToken.None);
        }
    }

    private static Task<ProcessResult> RunScriptAsync(IEnumerable<string> args, TimeSpan timeout, CancellationToken ct, IDictionary<string, string?>? env = null) =>
        ProcessRunner.RunAsync("bash", [Path.Combine(RepositoryPaths.Root, "scripts", "postgres-server.sh"), .. args], env, timeout, ct: ct);
}

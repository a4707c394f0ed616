using System.Text;
using Carrot.Bench.Infrastructure;
using Carrot.Bench.Reporting;
using Carrot.Bench.Scenarios;
using Microsoft.Data.Sqlite;
using RabbitMQ.Client;

namespace Carrot.Bench;

/// <summary>
/// Carrot's benchmark (issue 6). Run through bench/run.sh, which builds and publishes carrot and carrotd first.
/// Usage: bench/run.sh [ceiling|drain|steady|latency|cli|memory|scale|rows|daemons|isolation ...] [--runs N] [--million] [--store sqlite|postgres|both]
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var root = Environment.GetEnvironmentVariable("CARROT_BENCH_ROOT") ?? Directory.GetCurrentDirectory();
        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args, root);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        var paths = new BenchPaths(root);
        foreach (var file in new[] { paths.Carrot, paths.Carrotd, Path.Combine(paths.MyLib, "MyLib.dll") })
        {
            if (!File.Exists(file))
            {
                await Console.Error.WriteLineAsync($"{file} is missing: run the bench through bench/run.sh, which builds and publishes it.");
                return 2;
            }
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        Directory.CreateDirectory(paths.Scratch);
        try
        {
            await using var broker = await BenchBroker.StartAsync(paths, cancel.Token);
            await using var postgres = options.NeedsPostgres ? await BenchPostgres.StartAsync(paths, cancel.Token) : null;
            var machine = MachineInfo.Read(await RabbitMqVersionAsync(broker, cancel.Token), SqliteVersion(), postgres?.Version);
            Console.WriteLine($"Machine: {machine}");
            var report = new Report(paths.Results, machine);
            var context = new ScenarioContext(options, paths, broker, new Ceilings(), postgres);
            var failures = 0;
            foreach (var name in options.Scenarios)
            {
                var scenario = Create(name);
                Console.Error.WriteLine($"== {name} ({options.Runs} run(s))");
                try
                {
                    report.Add(name, await scenario.RunAsync(context, cancel.Token));
                }
                catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or Carrot.Errors.CarrotStoreException or Npgsql.NpgsqlException)
                {
                    failures++;
                    await Console.Error.WriteLineAsync($"Scenario {name} failed: {e}");
                }
            }

            report.Finish();
            return failures == 0 ? 0 : 1;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(paths.Scratch, recursive: true);
            }
            catch (IOException)
            {
                // A file still held; the temp folder is cleaned later.
            }
        }
    }

    private static IScenario Create(string name) => name switch
    {
        "ceiling" => new CeilingScenario(),
        "drain" => new DrainScenario(),
        "steady" => new SteadyScenario(),
        "latency" => new LatencyScenario(),
        "cli" => new CliScenario(),
        "memory" => new MemoryScenario(),
        "scale" => new ScaleScenario(),
        "rows" => new RowsScenario(),
        "daemons" => new DaemonsScenario(),
        "monitor" => new MonitorScenario(),
        "monitor-live" => new MonitorScenario(pages: false),
        "monitor-writes" => new MonitorWritesScenario(),
        "isolation" => new IsolationScenario(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown scenario."),
    };

    private static async Task<string> RabbitMqVersionAsync(BenchBroker broker, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = new Uri(broker.Uri("")) };
        await using var connection = await factory.CreateConnectionAsync(cancellationToken);
        return connection.ServerProperties?.TryGetValue("version", out var version) == true && version is byte[] bytes ? Encoding.UTF8.GetString(bytes) : "unknown";
    }

    private static string SqliteVersion()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sqlite_version()";
        return (string)command.ExecuteScalar()!;
    }
}

using System.Globalization;

namespace Carrot.Bench.Infrastructure;

/// <summary>
/// What to run: scenario names, how many times each measurement repeats, whether the 1M-task memory step runs, and
/// which stores the drain, latency and rows scenarios measure (--store sqlite|postgres|both; SQLite alone by default).
/// The daemons scenario is PostgreSQL's alone (several daemons share one store only there).
/// </summary>
internal sealed record BenchOptions(IReadOnlyList<string> Scenarios, int Runs, bool Million, string Root, IReadOnlyList<BenchStore> Stores)
{
    public static readonly IReadOnlyList<string> AllScenarios = ["ceiling", "drain", "steady", "latency", "cli", "memory", "scale", "rows", "daemons", "monitor", "monitor-live", "monitor-writes", "isolation"];

    /// <summary>Run by default: everything but the PostgreSQL-only daemons scenario and rows (scale covers SQLite at 1M).</summary>
    public static readonly IReadOnlyList<string> DefaultScenarios = ["ceiling", "drain", "steady", "latency", "cli", "memory", "scale"];

    /// <summary>Whether a PostgreSQL server must be started.</summary>
    public bool NeedsPostgres => Stores.Contains(BenchStore.Postgres) || Scenarios.Contains("daemons");

    public static BenchOptions Parse(string[] args, string root)
    {
        var scenarios = new List<string>();
        var runs = 3;
        var million = false;
        IReadOnlyList<BenchStore> stores = [BenchStore.Sqlite];
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs" when i + 1 < args.Length:
                    runs = Math.Max(1, int.Parse(args[++i], CultureInfo.InvariantCulture));
                    break;
                case "--store" when i + 1 < args.Length:
                    stores = args[++i] switch
                    {
                        "sqlite" => [BenchStore.Sqlite],
                        "postgres" => [BenchStore.Postgres],
                        "both" => [BenchStore.Sqlite, BenchStore.Postgres],
                        var other => throw new ArgumentException($"Unknown store '{other}': sqlite, postgres or both."),
                    };
                    break;
                case "--million":
                    million = true;
                    break;
                case var name when AllScenarios.Contains(name):
                    scenarios.Add(name);
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}'. Usage: bench/run.sh [{string.Join('|', AllScenarios)}...] [--runs N] [--million] [--store sqlite|postgres|both]");
            }
        }

        return new BenchOptions(scenarios.Count == 0 ? DefaultScenarios : scenarios, runs, million, root, stores);
    }
}

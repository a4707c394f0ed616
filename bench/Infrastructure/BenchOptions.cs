using System.Globalization;

namespace Carrot.Bench.Infrastructure;

/// <summary>What to run: scenario names, how many times each measurement repeats, and whether the 1M-task memory step runs.</summary>
internal sealed record BenchOptions(IReadOnlyList<string> Scenarios, int Runs, bool Million, string Root)
{
    public static readonly IReadOnlyList<string> AllScenarios = ["ceiling", "drain", "steady", "latency", "cli", "memory", "scale"];

    public static BenchOptions Parse(string[] args, string root)
    {
        var scenarios = new List<string>();
        var runs = 3;
        var million = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs" when i + 1 < args.Length:
                    runs = Math.Max(1, int.Parse(args[++i], CultureInfo.InvariantCulture));
                    break;
                case "--million":
                    million = true;
                    break;
                case var name when AllScenarios.Contains(name):
                    scenarios.Add(name);
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}'. Usage: bench/run.sh [{string.Join('|', AllScenarios)}...] [--runs N] [--million]");
            }
        }

        return new BenchOptions(scenarios.Count == 0 ? AllScenarios : scenarios, runs, million, root);
    }
}

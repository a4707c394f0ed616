using Carrot.Bench.Infrastructure;
using Carrot.Bench.Reporting;

namespace Carrot.Bench.Scenarios;

/// <summary>
/// Wall time of carrot as a process, startup included, with carrotd running: enqueue handed to it over its socket
/// and enqueue by itself (enqueueSocket off), taken in turn so both meet the same machine (medians of 20); tasks list
/// and status on a small table; --version alone.
/// </summary>
internal sealed class CliScenario : IScenario
{
    private const int Enqueues = 20;
    private const int Reads = 10;

    private static readonly Dictionary<string, string?> Handed = new();
    private static readonly Dictionary<string, string?> ByItself = new() { ["CARROT_ENQUEUE_SOCKET"] = "off" };

    public string Name => "cli";

    public async Task<IReadOnlyList<Measurement>> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var handed = new List<double>();
        var byItself = new List<double>();
        var list = new List<double>();
        var status = new List<double>();
        var version = new List<double>();
        for (var run = 0; run < context.Options.Runs; run++)
        {
            await using var world = await context.NewWorldAsync("cli", cancellationToken);
            await TimeAsync(world, 1, cancellationToken, "workers", "list"); // creates the database
            await using var daemon = await world.StartDaemonAsync("default", cancellationToken);
            await daemon.WaitForLogAsync("Taking enqueues from local carrot calls", TimeSpan.FromSeconds(30), cancellationToken);
            var (inTurnHanded, inTurnByItself) = (new List<double>(), new List<double>());
            for (var i = 0; i < Enqueues; i++)
            {
                inTurnHanded.Add(await TimeAsync(world, Handed, 1, cancellationToken, "enqueue", "MyLib.Bench.Noop"));
                inTurnByItself.Add(await TimeAsync(world, ByItself, 1, cancellationToken, "enqueue", "MyLib.Bench.Noop"));
            }

            handed.Add(Stats.Median(inTurnHanded));
            byItself.Add(Stats.Median(inTurnByItself));
            list.Add(await TimeAsync(world, Reads, cancellationToken, "tasks", "list"));
            status.Add(await TimeAsync(world, Reads, cancellationToken, "status"));
            version.Add(await TimeAsync(world, Reads, cancellationToken, "--version"));
            Console.Error.WriteLine($"  cli run {run + 1}: enqueue {handed[^1]:0} ms handed to carrotd, {byItself[^1]:0} ms by itself");
        }

        return
        [
            new Measurement(Name, $"carrot enqueue as a process, handed to the local carrotd (median of {Enqueues})", Stats.Median(handed), "ms", handed).AtMost(150, "ms"),
            new Measurement(Name, $"carrot enqueue as a process, by itself (enqueueSocket off; median of {Enqueues}, in turn with the above)", Stats.Median(byItself), "ms", byItself),
            new Measurement(Name, $"carrot tasks list, {2 * Enqueues} rows (median of {Reads})", Stats.Median(list), "ms", list),
            new Measurement(Name, $"carrot status, {2 * Enqueues} rows (median of {Reads})", Stats.Median(status), "ms", status),
            new Measurement(Name, $"carrot --version: process startup alone (median of {Reads})", Stats.Median(version), "ms", version),
        ];
    }

    /// <summary>The median wall time of <paramref name="times"/> runs; a failed run stops the bench.</summary>
    public static Task<double> TimeAsync(BenchWorld world, int times, CancellationToken cancellationToken, params string[] args) =>
        TimeAsync(world, Handed, times, cancellationToken, args);

    private static async Task<double> TimeAsync(BenchWorld world, IReadOnlyDictionary<string, string?> environment, int times, CancellationToken cancellationToken, params string[] args)
    {
        var elapsed = new List<double>();
        for (var i = 0; i < times; i++)
        {
            var (code, output, time) = await world.CarrotAsync(environment, cancellationToken, args);
            if (code != 0)
            {
                throw new InvalidOperationException($"carrot {string.Join(' ', args)} exited {code}: {output}");
            }

            elapsed.Add(time.TotalMilliseconds);
        }

        return Stats.Median(elapsed);
    }
}

using Carrot.Bench.Infrastructure;
using Carrot.Bench.Reporting;

namespace Carrot.Bench.Scenarios;

/// <summary>Wall time of carrot as a process, startup included: enqueue (median of 20), tasks list and status on a small table.</summary>
internal sealed class CliScenario : IScenario
{
    private const int Enqueues = 20;
    private const int Reads = 10;

    public string Name => "cli";

    public async Task<IReadOnlyList<Measurement>> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var enqueue = new List<double>();
        var list = new List<double>();
        var status = new List<double>();
        var version = new List<double>();
        for (var run = 0; run < context.Options.Runs; run++)
        {
            await using var world = await context.NewWorldAsync("cli", cancellationToken);
            await TimeAsync(world, 1, cancellationToken, "workers", "list"); // creates the database
            enqueue.Add(await TimeAsync(world, Enqueues, cancellationToken, "enqueue", "MyLib.Bench.Noop"));
            list.Add(await TimeAsync(world, Reads, cancellationToken, "tasks", "list"));
            status.Add(await TimeAsync(world, Reads, cancellationToken, "status"));
            version.Add(await TimeAsync(world, Reads, cancellationToken, "--version"));
            Console.Error.WriteLine($"  cli run {run + 1}: enqueue {enqueue[^1]:0} ms");
        }

        return
        [
            new Measurement(Name, $"carrot enqueue as a process (median of {Enqueues})", Stats.Median(enqueue), "ms", enqueue).AtMost(150, "ms"),
            new Measurement(Name, $"carrot tasks list, {Enqueues} rows (median of {Reads})", Stats.Median(list), "ms", list),
            new Measurement(Name, $"carrot status, {Enqueues} rows (median of {Reads})", Stats.Median(status), "ms", status),
            new Measurement(Name, $"carrot --version: process startup alone (median of {Reads})", Stats.Median(version), "ms", version),
        ];
    }

    /// <summary>The median wall time of <paramref name="times"/> runs; a failed run stops the bench.</summary>
    public static async Task<double> TimeAsync(BenchWorld world, int times, CancellationToken cancellationToken, params string[] args)
    {
        var elapsed = new List<double>();
        for (var i = 0; i < times; i++)
        {
            var (code, output, time) = await world.CarrotAsync(cancellationToken, args);
            if (code != 0)
            {
                throw new InvalidOperationException($"carrot {string.Join(' ', args)} exited {code}: {output}");
            }

            elapsed.Add(time.TotalMilliseconds);
        }

        return Stats.Median(elapsed);
    }
}

using Carrot.Bench.Infrastructure;
using Carrot.Bench.Reporting;

namespace Carrot.Bench.Scenarios;

/// <summary>
/// Issue 12: 20,000 no-op tasks drained by 1, 2 and 3 carrotd processes on one PostgreSQL database and one broker.
/// A worker's concurrency is a limit across all daemons (enforced at the claim), so the worker gets 64 slots in all
/// whatever the number of daemons; on one 2-core machine more daemons add no CPU, so this measures what sharing one
/// store costs (the claim guard, the trigger-kept counts every daemon writes) rather than scale-out.
/// </summary>
internal sealed class DaemonsScenario : IScenario
{
    private const int Concurrency = 64;

    public string Name => "daemons";

    public async Task<IReadOnlyList<Measurement>> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var measurements = new List<Measurement>();
        double? one = null;
        foreach (var daemons in new[] { 1, 2, 3 })
        {
            var wall = new List<double>();
            var recorded = new List<double>();
            ResourceUsage? usage = null;
            for (var run = 0; run < context.Options.Runs; run++)
            {
                await using var world = await context.NewWorldAsync($"daemons{daemons}", BenchStore.Postgres, cancellationToken);
                var result = await DrainRun.RunAsync(world, DrainScenario.Tasks, Concurrency, daemons, context, cancellationToken);
                wall.Add(result.WallRate);
                recorded.Add(result.RecordedRate);
                usage = result.Usage;
                Console.Error.WriteLine($"  daemons={daemons} run {run + 1}: {result.WallRate:N0} tasks/s with startup, {result.RecordedRate:N0} first start to last finish; {result.Usage}");
            }

            var m = new Measurement(Name, $"drain {DrainScenario.Tasks:N0}, worker concurrency {Concurrency} across {daemons} carrotd, from start [postgres]", Stats.Median(wall), "tasks/s", wall)
            {
                Note = usage is null ? null : $"last run: {usage}",
            };
            one ??= m.Value;
            measurements.Add(daemons == 1 ? m : m.Versus(one, "1 daemon"));
            measurements.Add(new Measurement(Name, $"drain {DrainScenario.Tasks:N0}, {daemons} carrotd, first start to last finish [postgres]", Stats.Median(recorded), "tasks/s", recorded));
        }

        return measurements;
    }
}

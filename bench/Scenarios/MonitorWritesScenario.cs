using Carrot.Bench.Infrastructure;
using Carrot.Bench.Reporting;

namespace Carrot.Bench.Scenarios;

/// <summary>
/// What the monitor's trigger-kept per-minute counts (migration 013) cost the write path: a bulk enqueue and a drain of
/// <see cref="DrainScenario.Tasks"/> no-op tasks at concurrency 64, with the three task_throughput triggers and with
/// them dropped, interleaved run by run on each store of --store so that the machine's load falls on both alike.
/// </summary>
internal sealed class MonitorWritesScenario : IScenario
{
    private const int Concurrency = 64;
    private static readonly string[] Triggers = ["tr_task_throughput_insert", "tr_task_throughput_update", "tr_task_throughput_delete"];

    public string Name => "monitor-writes";

    public async Task<IReadOnlyList<Measurement>> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var measurements = new List<Measurement>();
        foreach (var store in context.Options.Stores)
        {
            var label = $" [{store.ToString().ToLowerInvariant()}]";
            var runs = new Dictionary<bool, (List<double> Enqueue, List<double> Drain)> { [true] = ([], []), [false] = ([], []) };
            for (var run = 0; run < context.Options.Runs; run++)
            {
                foreach (var kept in new[] { true, false })
                {
                    await using var world = await context.NewWorldAsync($"writes-{(kept ? "kept" : "none")}", store, cancellationToken);
                    await using (await world.CreateClientAsync(cancellationToken))
                    {
                        // The client has migrated the store; the triggers go before any task is written.
                    }

                    if (!kept)
                    {
                        foreach (var trigger in Triggers)
                        {
                            await world.ExecuteAsync(store == BenchStore.Sqlite ? $"DROP TRIGGER {trigger}" : $"DROP TRIGGER {trigger} ON tasks", cancellationToken);
                        }
                    }

                    var result = await DrainRun.RunAsync(world, DrainScenario.Tasks, Concurrency, 1, context, cancellationToken);
                    runs[kept].Enqueue.Add(result.EnqueueRate);
                    runs[kept].Drain.Add(result.WallRate);
                    Console.Error.WriteLine($"  monitor-writes{label} {(kept ? "with" : "without")} the throughput triggers, run {run + 1}: enqueue {result.EnqueueRate:N0}/s, drain {result.WallRate:N0}/s");
                }
            }

            foreach (var kept in new[] { true, false })
            {
                var what = kept ? "with the task_throughput triggers" : "without them";
                measurements.Add(new Measurement(Name, $"bulk enqueue {DrainScenario.Tasks:N0}, {what}{label}", Stats.Median(runs[kept].Enqueue), "tasks/s", runs[kept].Enqueue));
                measurements.Add(new Measurement(Name, $"drain {DrainScenario.Tasks:N0}, concurrency {Concurrency}, from carrotd start, {what}{label}", Stats.Median(runs[kept].Drain), "tasks/s", runs[kept].Drain));
            }
        }

        return measurements;
    }
}

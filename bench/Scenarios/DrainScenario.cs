using Carrot.Bench.Infrastructure;
using Carrot.Bench.Reporting;

namespace Carrot.Bench.Scenarios;

/// <summary>20,000 no-op tasks already queued; start carrotd (worker concurrency 8, then 64); time until all succeeded.</summary>
internal sealed class DrainScenario : IScenario
{
    public const int Tasks = 20_000;

    public string Name => "drain";

    public async Task<IReadOnlyList<Measurement>> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var measurements = new List<Measurement>();
        var enqueue = new List<double>();
        foreach (var concurrency in new[] { 8, 64 })
        {
            var wall = new List<double>();
            var recorded = new List<double>();
            for (var run = 0; run < context.Options.Runs; run++)
            {
                await using var world = await context.NewWorldAsync($"drain{concurrency}", cancellationToken);
                var result = await DrainRun.RunAsync(world, Tasks, concurrency, cancellationToken);
                enqueue.Add(result.EnqueueRate);
                wall.Add(result.WallRate);
                recorded.Add(result.RecordedRate);
                Console.Error.WriteLine($"  drain c={concurrency} run {run + 1}: {result.WallRate:N0} tasks/s with startup, {result.RecordedRate:N0} first start to last finish");
            }

            measurements.Add(new Measurement(Name, $"drain {Tasks:N0}, concurrency {concurrency}, from carrotd start", Stats.Median(wall), "tasks/s", wall)
                .AtLeast(5000, "tasks/s").Versus(context.Ceilings.Pipeline, "pipeline ceiling"));
            measurements.Add(new Measurement(Name, $"drain {Tasks:N0}, concurrency {concurrency}, first start to last finish", Stats.Median(recorded), "tasks/s", recorded)
                .Versus(context.Ceilings.SqliteSingle, "SQLite 1 task/txn"));
        }

        measurements.Add(new Measurement(Name, $"bulk enqueue {Tasks:N0} (EnqueueManyAsync, chunks of 5,000, no consumer)", Stats.Median(enqueue), "tasks/s", enqueue)
            .AtLeast(8000, "tasks/s").Versus(context.Ceilings.BrokerPublish, "RabbitMQ publish ceiling"));
        return measurements;
    }
}

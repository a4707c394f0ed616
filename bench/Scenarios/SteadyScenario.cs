using System.Diagnostics;
using Carrot.Bench.Infrastructure;
using Carrot.Bench.Reporting;

namespace Carrot.Bench.Scenarios;

/// <summary>A producer enqueuing through CarrotClient's bulk API (1,000 a call) while carrotd (concurrency 8) consumes.</summary>
internal sealed class SteadyScenario : IScenario
{
    private const int Tasks = 20_000;

    public string Name => "steady";

    public async Task<IReadOnlyList<Measurement>> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var enqueue = new List<double>();
        var drain = new List<double>();
        for (var run = 0; run < context.Options.Runs; run++)
        {
            await using var world = await context.NewWorldAsync("steady", cancellationToken);
            await using var client = await world.CreateClientAsync(cancellationToken);
            await client.AddWorkerAsync("bench", 8, cancellationToken: cancellationToken);
            await using var daemon = await world.StartDaemonAsync("bench", cancellationToken);
            var stopwatch = Stopwatch.StartNew();
            var firstId = await BenchWorld.EnqueueNoopsAsync(client, Tasks, "bench", cancellationToken, chunk: 1000);
            enqueue.Add(Tasks / stopwatch.Elapsed.TotalSeconds);
            await world.WaitForFinishedAsync(firstId, Tasks, TimeSpan.FromMinutes(15), cancellationToken);
            drain.Add(Tasks / stopwatch.Elapsed.TotalSeconds);
            Console.Error.WriteLine($"  steady run {run + 1}: enqueue {enqueue[^1]:N0}/s, drained {drain[^1]:N0}/s");
        }

        return
        [
            new Measurement(Name, $"enqueue {Tasks:N0} while the daemon consumes (bulk, 1,000 a call)", Stats.Median(enqueue), "tasks/s", enqueue)
                .AtLeast(8000, "tasks/s").Versus(context.Ceilings.BrokerPublish, "RabbitMQ publish ceiling"),
            new Measurement(Name, "drain while producing (concurrency 8)", Stats.Median(drain), "tasks/s", drain)
                .Versus(context.Ceilings.Pipeline, "pipeline ceiling"),
        ];
    }
}

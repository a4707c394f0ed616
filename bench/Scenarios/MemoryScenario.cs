using Carrot.Bench.Infrastructure;
using Carrot.Bench.Reporting;

namespace Carrot.Bench.Scenarios;

/// <summary>carrotd's resident memory (VmRSS) idle, after 100,000 tasks and, with --million, after 1,000,000.</summary>
internal sealed class MemoryScenario : IScenario
{
    private const int Chunk = 100_000;

    public string Name => "memory";

    public async Task<IReadOnlyList<Measurement>> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        await using var world = await context.NewWorldAsync("memory", cancellationToken);
        await using var client = await world.CreateClientAsync(cancellationToken);
        await client.AddWorkerAsync("bench", 8, cancellationToken: cancellationToken);
        await using var daemon = await world.StartDaemonAsync("bench", cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
        var idle = daemon.ResidentMiB();
        var measurements = new List<Measurement>
        {
            new Measurement(Name, "carrotd RSS idle (5 s after start)", idle, "MiB", [idle]).AtMost(80, "MiB"),
        };
        Console.Error.WriteLine($"  memory idle: {idle:0.0} MiB");

        var total = context.Options.Million ? 1_000_000 : Chunk;
        for (var done = 0; done < total; done += Chunk)
        {
            // Produced a chunk at a time so the broker's queue (and its memory) stays moderate.
            var firstId = await BenchWorld.EnqueueNoopsAsync(client, Chunk, "bench", cancellationToken, chunk: 5000);
            await world.WaitForFinishedAsync(firstId, Chunk, TimeSpan.FromMinutes(30), cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
            var rss = daemon.ResidentMiB();
            Console.Error.WriteLine($"  memory after {done + Chunk:N0}: {rss:0.0} MiB");
            if (done + Chunk == Chunk || done + Chunk == total)
            {
                measurements.Add(new Measurement(Name, $"carrotd RSS after {done + Chunk:N0} tasks", rss, "MiB", [rss]));
            }
        }

        if (!context.Options.Million)
        {
            measurements.Add(new Measurement(Name, "carrotd RSS after 1,000,000 tasks", double.NaN, "MiB", []) { Note = "skipped; run with --million" });
        }

        return measurements;
    }
}

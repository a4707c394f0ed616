using System.Diagnostics;
using Carrot.Bench.Infrastructure;

namespace Carrot.Bench.Scenarios;

/// <summary>
/// N no-op tasks queued through the bulk API with no daemon running, then carrotd started and timed until the
/// database records all of them succeeded. Shared by the drain and scale scenarios.
/// </summary>
internal static class DrainRun
{
    public sealed record Result(double EnqueueRate, double WallRate, double RecordedRate);

    public static async Task<Result> RunAsync(BenchWorld world, int tasks, int concurrency, CancellationToken cancellationToken)
    {
        long firstId;
        double enqueueRate;
        await using (var client = await world.CreateClientAsync(cancellationToken))
        {
            if ((await client.ListWorkersAsync(cancellationToken)).Any(w => w.Name == "bench"))
            {
                await client.UpdateWorkerAsync("bench", concurrency, cancellationToken: cancellationToken);
            }
            else
            {
                await client.AddWorkerAsync("bench", concurrency, cancellationToken: cancellationToken);
            }
            var stopwatch = Stopwatch.StartNew();
            firstId = await BenchWorld.EnqueueNoopsAsync(client, tasks, "bench", cancellationToken, chunk: 5000);
            enqueueRate = tasks / stopwatch.Elapsed.TotalSeconds;
        }

        await using var daemon = await world.StartDaemonAsync("bench", cancellationToken);
        await world.WaitForFinishedAsync(firstId, tasks, TimeSpan.FromMinutes(15), cancellationToken);
        var wall = daemon.SinceStart.Elapsed;
        var recorded = await world.RecordedRateAsync(firstId, tasks, cancellationToken);
        return new Result(enqueueRate, tasks / wall.TotalSeconds, recorded);
    }
}

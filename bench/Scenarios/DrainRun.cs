using System.Diagnostics;
using Carrot.Bench.Infrastructure;

namespace Carrot.Bench.Scenarios;

/// <summary>
/// N no-op tasks queued through the bulk API with no daemon running, then carrotd (one or several processes on the
/// same store and broker) started and timed until the database records all of them succeeded, with the CPU and
/// PostgreSQL wait events sampled meanwhile. Shared by the drain, scale, rows and daemons scenarios.
/// </summary>
internal static class DrainRun
{
    public sealed record Result(double EnqueueRate, double WallRate, double RecordedRate, ResourceUsage? Usage);

    public static async Task<Result> RunAsync(BenchWorld world, int tasks, int concurrency, CancellationToken cancellationToken) =>
        await RunAsync(world, tasks, concurrency, 1, null, cancellationToken);

    public static async Task<Result> RunAsync(BenchWorld world, int tasks, int concurrency, int daemons, ScenarioContext? sample, CancellationToken cancellationToken)
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

        await using var sampler = sample?.Sample(world);
        var wall = Stopwatch.StartNew();
        var started = await Task.WhenAll(Enumerable.Range(0, daemons).Select(_ => world.StartDaemonAsync("bench", cancellationToken)));
        try
        {
            await world.WaitForFinishedAsync(firstId, tasks, TimeSpan.FromMinutes(15), cancellationToken);
            var elapsed = wall.Elapsed;
            var usage = sampler is null ? null : await sampler.StopAsync();
            var recorded = await world.RecordedRateAsync(firstId, tasks, cancellationToken);
            return new Result(enqueueRate, tasks / elapsed.TotalSeconds, recorded, usage);
        }
        finally
        {
            foreach (var daemon in started)
            {
                await daemon.DisposeAsync();
            }
        }
    }
}

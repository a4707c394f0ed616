using System.Diagnostics;
using System.Globalization;
using Carrot.Client;
using Carrot.Configuration;
using Carrot.Records;
using Carrot.Tasks;

namespace Carrot.Soak;

/// <summary>
/// Pushes N tasks through Carrot while killing and restarting carrotd and RabbitMQ at random, then audits the
/// database against the execution log that MyLib.Probe.Run keeps: lost, duplicated and concurrently run tasks.
/// Usage: soak/run.sh [TASKS] (default 100000). Not part of the test suite: it takes minutes.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var total = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        var root = Environment.GetEnvironmentVariable("CARROT_SOAK_ROOT") ?? throw new InvalidOperationException("Run through soak/run.sh.");
        var work = Path.Combine(root, ".carrot-soak");
        var node = new SoakBroker(root, Path.Combine(work, "rabbitmq"));
        var probe = Path.Combine(work, "probe.log");
        var config = Path.Combine(work, "carrot.json");
        await File.WriteAllTextAsync(config, $$"""
            { "database": "carrot.db", "broker": "amqp://guest:guest@127.0.0.1:{{SoakBroker.Port}}/",
              "taskAssemblies": ["{{Path.Combine(root, "samples/MyLib/bin/Release/net10.0")}}"],
              "leaseSeconds": 15, "heartbeatSeconds": 2, "reconcileAfterSeconds": 20, "maxAttempts": 10 }
            """);
        Environment.SetEnvironmentVariable("CARROT_CONFIG", config);
        await node.StartAsync();
        var daemon = new SoakDaemon(Path.Combine(root, "artifacts/carrotd/carrotd"), Path.Combine(work, "carrotd.log"));
        var stopwatch = Stopwatch.StartNew();
        var faults = new List<string>();
        try
        {
            await using var client = await CarrotClient.CreateAsync(CarrotConfiguration.Load());
            await client.AddWorkerAsync("soak", 8);
            daemon.Start();
            using var chaosStop = new CancellationTokenSource();
            var chaos = Chaos.RunAsync(daemon, node, faults, chaosStop.Token);
            var unconfirmed = 0;
            for (var i = 0; i < total; i++)
            {
                var queued = await EnqueueWithRetryAsync(client, probe);
                unconfirmed += queued.Published ? 0 : 1;
            }

            Console.WriteLine($"enqueued {total} in {stopwatch.Elapsed.TotalSeconds:0} s ({unconfirmed} saved while the broker was down)");
            var drainUntil = DateTime.UtcNow.AddMinutes(20);
            while (await CountUnfinishedAsync(client) > 0 && DateTime.UtcNow < drainUntil)
            {
                await Task.Delay(2000);
            }

            await chaosStop.CancelAsync();
            await chaos;
            daemon.EnsureRunning();
            while (await CountUnfinishedAsync(client) > 0 && DateTime.UtcNow < drainUntil.AddMinutes(5))
            {
                await Task.Delay(1000);
            }

            return await Audit.RunAsync(client, probe, total, faults, stopwatch.Elapsed);
        }
        finally
        {
            await daemon.StopAsync();
            await node.StopAsync();
        }
    }

    // The database may be briefly locked by the daemon's writes, the broker down: a producer retries the first.
    private static async Task<EnqueueResult> EnqueueWithRetryAsync(CarrotClient client, string probe)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await client.EnqueueAsync("MyLib.Probe.Run", [probe, Random.Shared.Next(0, 5)], worker: "soak");
            }
            catch (Carrot.Errors.CarrotStoreException) when (attempt < 10)
            {
                await Task.Delay(100);
            }
        }
    }

    private static async Task<long> CountUnfinishedAsync(CarrotClient client)
    {
        var status = await client.GetStatusAsync();
        return status.Workers.Where(w => w.Worker == "soak").Sum(w => w.Counts[TaskState.Queued] + w.Counts[TaskState.Running] + w.Counts[TaskState.Scheduled]);
    }
}

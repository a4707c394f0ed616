using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Carrot.Bench.Infrastructure;
using Carrot.Bench.Reporting;
using Carrot.Records;
using Carrot.Tasks;

namespace Carrot.Bench.Scenarios;

/// <summary>
/// Issue 11: the two isolations side by side, interleaved run by run on SQLite. Drain (5,000 no-ops queued, concurrency
/// 8) and idle latency (one at a time) per mode; a runner's start (process start to its ready frame) and its resident
/// memory, idle and after the drain; and the cost of a recycle (the drain again with runnerMaxTasks 50).
/// </summary>
internal sealed class IsolationScenario : IScenario
{
    private const int DrainTasks = 5000;
    private const int LatencyTasks = 200;
    private const int Concurrency = 8;
    private const int RecycleEvery = 50;

    public string Name => "isolation";

    public async Task<IReadOnlyList<Measurement>> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var modes = new[] { WorkerIsolation.InProcess, WorkerIsolation.Process };
        var drain = modes.ToDictionary(m => m, _ => new List<double>());
        var recorded = modes.ToDictionary(m => m, _ => new List<double>());
        var latency50 = modes.ToDictionary(m => m, _ => new List<double>());
        var latency99 = modes.ToDictionary(m => m, _ => new List<double>());
        var recycled = new List<double>();
        var recycleCost = new List<double>();
        var busyRss = new List<double>();
        for (var run = 0; run < context.Options.Runs; run++)
        {
            foreach (var mode in modes)
            {
                var result = await DrainAsync(context, mode, runnerMaxTasks: null, cancellationToken);
                drain[mode].Add(result.WallRate);
                recorded[mode].Add(result.RecordedRate);
                if (result.RunnerRssMiB is { } rss)
                {
                    busyRss.Add(rss);
                }

                var (p50, p99) = await LatencyAsync(context, mode, cancellationToken);
                latency50[mode].Add(p50);
                latency99[mode].Add(p99);
                Console.Error.WriteLine($"  isolation {Label(mode)} run {run + 1}: drain {result.WallRate:N0} tasks/s ({result.RecordedRate:N0} first start to last finish), enqueue→finish p50 {p50:0.00} ms, p99 {p99:0.00} ms");
            }

            var withRecycling = await DrainAsync(context, WorkerIsolation.Process, RecycleEvery, cancellationToken);
            recycled.Add(withRecycling.RecordedRate);

            // Slot time a recycle adds: the drain's extra time, spread over the recycles, times the slots that shared it.
            var recycles = DrainTasks / RecycleEvery;
            var extraSeconds = DrainTasks / withRecycling.RecordedRate - DrainTasks / recorded[WorkerIsolation.Process][^1];
            recycleCost.Add(Math.Max(0, extraSeconds * 1000 * Concurrency / recycles));
            Console.Error.WriteLine($"  isolation recycle run {run + 1}: {withRecycling.RecordedRate:N0} tasks/s with runnerMaxTasks {RecycleEvery}, about {recycleCost[^1]:0.0} ms of slot time per recycle");
        }

        var (startMs, idleRss) = await RunnerStartAsync(context, cancellationToken);
        var measurements = new List<Measurement>();
        foreach (var mode in modes)
        {
            measurements.Add(new Measurement(Name, $"drain {DrainTasks:N0}, concurrency {Concurrency}, from carrotd start [{Label(mode)}]", Stats.Median(drain[mode]), "tasks/s", drain[mode]));
            measurements.Add(new Measurement(Name, $"drain {DrainTasks:N0}, concurrency {Concurrency}, first start to last finish [{Label(mode)}]", Stats.Median(recorded[mode]), "tasks/s", recorded[mode]));
            measurements.Add(new Measurement(Name, $"enqueue→finish p50 (idle, {LatencyTasks} one at a time) [{Label(mode)}]", Stats.Median(latency50[mode]), "ms", latency50[mode]));
            measurements.Add(new Measurement(Name, $"enqueue→finish p99 (idle, {LatencyTasks} one at a time) [{Label(mode)}]", Stats.Median(latency99[mode]), "ms", latency99[mode]));
        }

        measurements.Add(new Measurement(Name, $"drain {DrainTasks:N0}, first start to last finish, runnerMaxTasks {RecycleEvery} [process]", Stats.Median(recycled), "tasks/s", recycled));
        measurements.Add(new Measurement(Name, "a recycle: slot time it adds (drain with and without recycling)", Stats.Median(recycleCost), "ms", recycleCost));
        measurements.Add(new Measurement(Name, "carrot-runner start to ready, MyLib loaded (median of 10)", Stats.Median(startMs), "ms", startMs));
        measurements.Add(new Measurement(Name, "carrot-runner RSS idle, MyLib loaded (median of 10)", Stats.Median(idleRss), "MiB", idleRss));
        if (busyRss.Count > 0)
        {
            measurements.Add(new Measurement(Name, $"carrot-runner RSS after the drain (mean of the {Concurrency} runners)", Stats.Median(busyRss), "MiB", busyRss));
        }

        return measurements;
    }

    private static string Label(WorkerIsolation mode) => mode == WorkerIsolation.Process ? "process" : "inprocess";

    private sealed record DrainResult(double WallRate, double RecordedRate, double? RunnerRssMiB);

    private static async Task<DrainResult> DrainAsync(ScenarioContext context, WorkerIsolation mode, int? runnerMaxTasks, CancellationToken cancellationToken)
    {
        await using var world = await context.NewWorldAsync($"isolation-{Label(mode)}", cancellationToken);
        if (runnerMaxTasks is { } max)
        {
            SetSetting(world, "runnerMaxTasks", max);
        }

        long firstId;
        await using (var client = await world.CreateClientAsync(cancellationToken))
        {
            await client.AddWorkerAsync("bench", Concurrency, "", mode, cancellationToken);
            firstId = await BenchWorld.EnqueueNoopsAsync(client, DrainTasks, "bench", cancellationToken, chunk: 5000);
        }

        var wall = Stopwatch.StartNew();
        await using var daemon = await world.StartDaemonAsync("bench", cancellationToken);
        await world.WaitForFinishedAsync(firstId, DrainTasks, TimeSpan.FromMinutes(10), cancellationToken);
        var elapsed = wall.Elapsed;
        var runners = ChildrenOf(daemon.Pid).Select(ResidentMiB).OfType<double>().ToList();
        return new DrainResult(DrainTasks / elapsed.TotalSeconds, await world.RecordedRateAsync(firstId, DrainTasks, cancellationToken), runners.Count > 0 ? runners.Average() : null);
    }

    private static async Task<(double P50, double P99)> LatencyAsync(ScenarioContext context, WorkerIsolation mode, CancellationToken cancellationToken)
    {
        await using var world = await context.NewWorldAsync($"isolation-latency-{Label(mode)}", cancellationToken);
        await using var client = await world.CreateClientAsync(cancellationToken);
        await client.UpdateWorkerAsync(WorkerRecord.DefaultName, null, null, mode, cancellationToken);
        await using var daemon = await world.StartDaemonAsync(WorkerRecord.DefaultName, cancellationToken);
        var finish = new List<double>();
        for (var i = -20; i < LatencyTasks; i++)
        {
            var before = DateTimeOffset.UtcNow;
            var queued = await client.EnqueueAsync("MyLib.Bench.Now", cancellationToken: cancellationToken);
            TaskRecord? task;
            while ((task = await client.GetTaskAsync(queued.TaskId, cancellationToken)) is not { } t || !t.State.IsTerminal())
            {
                await Task.Delay(1, cancellationToken);
            }

            if (i >= 0)
            {
                finish.Add((task.FinishedAt!.Value - before).TotalMilliseconds);
            }
        }

        return (Stats.Percentile(finish, 50), Stats.Percentile(finish, 99));
    }

    /// <summary>carrot-runner started by hand as carrotd starts it: the time to its first frame (ready), and its memory then.</summary>
    private static async Task<(List<double> StartMs, List<double> RssMiB)> RunnerStartAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var runner = Path.Combine(Path.GetDirectoryName(context.Paths.Carrotd)!, "carrot-runner");
        var start = new List<double>();
        var rss = new List<double>();
        for (var i = 0; i < 10; i++)
        {
            var info = new ProcessStartInfo(runner) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
            info.ArgumentList.Add("--assembly");
            info.ArgumentList.Add(Path.Combine(context.Paths.MyLib, "MyLib.dll"));
            var stopwatch = Stopwatch.StartNew();
            using var process = Process.Start(info) ?? throw new InvalidOperationException($"{runner} did not start.");
            var header = new byte[4];
            await process.StandardOutput.BaseStream.ReadExactlyAsync(header, cancellationToken);
            start.Add(stopwatch.Elapsed.TotalMilliseconds);
            await Task.Delay(200, cancellationToken);
            rss.Add(ResidentMiB(process.Id) ?? 0);
            process.StandardInput.Close();
            await process.WaitForExitAsync(cancellationToken);
        }

        return (start, rss);
    }

    private static IEnumerable<int> ChildrenOf(int pid)
    {
        foreach (var stat in Directory.EnumerateDirectories("/proc").Where(d => Path.GetFileName(d).All(char.IsAsciiDigit)).Select(d => Path.Combine(d, "stat")))
        {
            string text;
            try
            {
                text = File.ReadAllText(stat);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // gone meanwhile
            }

            // pid (comm) state ppid …; comm may hold spaces, so read after the last ')'.
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            if (fields.Length > 1 && int.Parse(fields[1], CultureInfo.InvariantCulture) == pid)
            {
                yield return int.Parse(text[..text.IndexOf(' ')], CultureInfo.InvariantCulture);
            }
        }
    }

    private static double? ResidentMiB(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void SetSetting(BenchWorld world, string key, object value)
    {
        var settings = JsonNode.Parse(File.ReadAllText(world.ConfigPath))!.AsObject();
        settings[key] = JsonValue.Create(value);
        File.WriteAllText(world.ConfigPath, settings.ToJsonString());
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Carrot.Bench.Infrastructure;
using Carrot.Bench.Reporting;
using Carrot.Monitor.Hosting;
using Carrot.Records;
using Carrot.Storage;
using Carrot.Storage.Monitoring;

namespace Carrot.Bench.Scenarios;

/// <summary>
/// Issue 13 on each store of --store: every page and API call of the web monitor on a table of 1,000,000 realistic rows
/// (<see cref="TableFill"/>), served in-process by <see cref="CarrotMonitorServer"/> on loopback, each called
/// <see cref="Calls"/> times; the figure is the p95 of the server's own time (its Server-Timing header: reading and
/// rendering), target ≤ 100 ms, with the wall time the client saw beside it. Then the live task log's cost: a drain of
/// chatty tasks (50 lines each over a second) with liveTaskLogMs 500 and 0 (stored only with the outcome).
/// </summary>
/// <param name="pages">False for <c>monitor-live</c>: the live task log's cost alone, without the 1,000,000-row fill.</param>
internal sealed class MonitorScenario(bool pages = true) : IScenario
{
    private const int Rows = 1_000_000;
    private const int Calls = 30;
    private const int ChattyTasks = 256;
    private const int ChattyConcurrency = 32;

    public string Name => pages ? "monitor" : "monitor-live";

    public async Task<IReadOnlyList<Measurement>> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        // Every store's pages first, side by side in time; then the live logs.
        var measurements = new List<Measurement>();
        foreach (var store in pages ? context.Options.Stores : Array.Empty<BenchStore>())
        {
            measurements.AddRange(await MeasurePagesAsync(context, store, Label(store), cancellationToken));
        }

        foreach (var store in context.Options.Stores)
        {
            measurements.AddRange(await MeasureLiveLogsAsync(context, store, Label(store), cancellationToken));
        }

        return measurements;
    }

    private async Task<IReadOnlyList<Measurement>> MeasurePagesAsync(ScenarioContext context, BenchStore store, string label, CancellationToken cancellationToken)
    {
        await using var world = await context.NewWorldAsync("monitor", store, cancellationToken);
        await TableFill.AddWorkersAsync(world, cancellationToken);
        var fill = Stopwatch.StartNew();
        await TableFill.FillAsync(world, Rows, cancellationToken);
        Console.Error.WriteLine($"  monitor: {Rows:N0} rows written in {fill.Elapsed.TotalSeconds:0} s");
        await using var client = await world.CreateClientAsync(cancellationToken);

        // The kept per-minute counts as the daemon's retention pass leaves them (the first pass over the fill folds the most).
        // On PostgreSQL the fold leaves the fill's rows dead until a vacuum, as autovacuum would soon after on a table this
        // small and busy: the charts' read is timed before and after it, to show what the dead rows cost.
        var throughput = new ThroughputStore(new CarrotDatabase(client.Engine), client.Clock);
        var compact = Stopwatch.StartNew();
        var folded = await throughput.CompactAsync(cancellationToken);
        Console.Error.WriteLine($"  monitor{label}: task_throughput compacted in {compact.Elapsed.TotalMilliseconds:N0} ms ({folded:N0} rows folded or dropped), " +
            $"{await world.ScalarAsync<long>("SELECT count(*) FROM task_throughput", cancellationToken):N0} rows left; the charts read in {await ChartsMsAsync(throughput, cancellationToken):0.#} ms");
        if (store == BenchStore.Postgres)
        {
            await world.ExecuteAsync("VACUUM ANALYZE task_throughput", cancellationToken);
            Console.Error.WriteLine($"  monitor{label}: after VACUUM ANALYZE task_throughput, the charts read in {await ChartsMsAsync(throughput, cancellationToken):0.#} ms");
        }

        await client.AddScheduleAsync(new ScheduleRequest { Name = "nightly", Kallable = "MyLib.Jobs.Bark", Args = "[\"Rex\"]", Cron = "0 3 * * *" }, cancellationToken);
        var failed = (await client.ListTasksAsync(new TaskQuery { State = Tasks.TaskState.Failed, Limit = 1 }, cancellationToken))[0].Id;
        var middle = (Rows / 2).ToString(CultureInfo.InvariantCulture);

        await using var server = CarrotMonitorServer.Create(client, new MonitorSettings { Listen = "127.0.0.1:0" });
        await server.StartAsync(cancellationToken);
        using var http = new HttpClient { BaseAddress = server.Address };
        string[] paths =
        [
            "/", "/fragments/overview", "/api/overview", "/api/status",
            "/tasks", "/api/tasks", $"/tasks?before={middle}", "/tasks?state=failed", "/tasks?state=queued", "/tasks?worker=files",
            "/tasks?kallable=MyLib.Jobs.", "/tasks?kallable=No.Such.", "/tasks?to=2020-01-01T00:00",
            "/tasks?q=exploded", "/tasks?q=no-such-text", $"/tasks?q=no-such-text&before={middle}", "/api/tasks?q=no-such-text",
            "/tasks?state=failed&q=no-such-text", "/api/tasks/count?state=failed", "/api/tasks/count?state=succeeded", "/api/tasks/count?q=no-such-text",
            "/bulk/confirm?action=retry&scope=all&state=failed", "/bulk/confirm?action=retry&scope=all&q=no-such-text", "/bulk/confirm?action=delete&scope=all",
            $"/tasks/{failed}", $"/api/tasks/{failed}", $"/fragments/tasks/{failed}", $"/api/tasks/{failed}/logs?skip=0",
            "/workers", "/api/workers", "/schedules", "/api/schedules",
        ];
        var measurements = new List<Measurement>();
        foreach (var path in paths)
        {
            var server95 = new List<double>();
            var wall = new List<double>();
            for (var i = 0; i < Calls; i++)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(path, cancellationToken);
                await response.Content.ReadAsByteArrayAsync(cancellationToken);
                wall.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}.");
                }

                server95.Add(ServerTime(response));
            }

            var p95 = Stats.Percentile(server95, 95);
            measurements.Add(new Measurement(Name, $"GET {path} server p95, {Rows:N0} rows{label}", p95, "ms", [p95])
            {
                Note = $"median {Stats.Median(server95):0.#} ms; wall p95 {Stats.Percentile(wall, 95):0.#} ms ({Calls} calls)",
            }.AtMost(100, "ms"));
        }

        return measurements;
    }

    private async Task<IReadOnlyList<Measurement>> MeasureLiveLogsAsync(ScenarioContext context, BenchStore store, string label, CancellationToken cancellationToken)
    {
        var results = new Dictionary<int, (List<double> Wall, List<double> Cpu)> { [500] = ([], []), [0] = ([], []) };
        var stored = new Dictionary<int, List<double>> { [500] = [], [0] = [] };
        for (var run = 0; run < context.Options.Runs; run++)
        {
            foreach (var interval in new[] { 500, 0 })
            {
                await using var world = await context.NewWorldAsync($"livelog-{interval}", store, cancellationToken);
                var config = JsonNode.Parse(await File.ReadAllTextAsync(world.ConfigPath, cancellationToken))!.AsObject();
                config["liveTaskLogMs"] = interval;
                await File.WriteAllTextAsync(world.ConfigPath, config.ToJsonString(), cancellationToken);
                await using (var setup = await world.CreateClientAsync(cancellationToken))
                {
                    await setup.AddWorkerAsync("chat", ChattyConcurrency, cancellationToken: cancellationToken);
                }

                await using var daemon = await world.StartDaemonAsync("chat", cancellationToken);
                await using var client = await world.CreateClientAsync(cancellationToken);
                await using var sampler = context.Sample(world);
                var started = Stopwatch.GetTimestamp();
                var enqueued = await client.EnqueueManyAsync(Enumerable.Range(0, ChattyTasks).Select(_ => new EnqueueRequest
                {
                    Kallable = "MyLib.Chatter.Talk",
                    Args = "[50, 20]",
                    Worker = "chat",
                }).ToList(), cancellationToken);
                await world.WaitForFinishedAsync(enqueued[0].TaskId, ChattyTasks, TimeSpan.FromMinutes(5), cancellationToken);
                var wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
                var usage = await sampler.StopAsync();
                // Every line stored exactly once: reported as a figure with its target, so that a loss shows in the table.
                // Counted when the last task is seen finished and again 3 s later: a live write still committing is late, not lost.
                var atFinish = await world.ScalarAsync<long>("SELECT count(*) FROM task_logs", cancellationToken);
                await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
                var later = await world.ScalarAsync<long>("SELECT count(*) FROM task_logs", cancellationToken);
                stored[interval].Add(later);
                if (atFinish != later)
                {
                    Console.Error.WriteLine($"  monitor: liveTaskLogMs {interval}{label}: {atFinish} log lines stored when the last task finished, {later} 3 s later");
                }

                results[interval].Wall.Add(wall);
                results[interval].Cpu.Add(usage.CpuSeconds.GetValueOrDefault("carrotd"));
                await daemon.StopAsync();
            }
        }

        var what = $"{ChattyTasks} tasks x 50 lines over 1 s, concurrency {ChattyConcurrency}";
        return
        [
            new Measurement(Name, $"drain {what}, live logs every 500 ms: wall{label}", Stats.Median(results[500].Wall), "s", results[500].Wall),
            new Measurement(Name, $"drain {what}, logs with the outcome only: wall{label}", Stats.Median(results[0].Wall), "s", results[0].Wall),
            new Measurement(Name, $"drain {what}, live logs every 500 ms: carrotd CPU{label}", Stats.Median(results[500].Cpu), "s", results[500].Cpu),
            new Measurement(Name, $"drain {what}, logs with the outcome only: carrotd CPU{label}", Stats.Median(results[0].Cpu), "s", results[0].Cpu),
            .. stored.Select(s => new Measurement(Name, $"log lines stored 3 s after every task finished, liveTaskLogMs {s.Key}{label}", s.Value.Min(), "lines", s.Value)
                { Note = "the fewest of the runs", Target = $"= {ChattyTasks * 50:N0} lines", Met = s.Value.All(v => v == ChattyTasks * 50) }),
        ];
    }

    /// <summary>The median of 10 reads of the overview's charts and last hour.</summary>
    private static async Task<double> ChartsMsAsync(ThroughputStore throughput, CancellationToken cancellationToken)
    {
        var times = new List<double>();
        for (var i = 0; i < 10; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await throughput.OverviewAsync(cancellationToken);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return Stats.Median(times);
    }

    private static string Label(BenchStore store) => $" [{store.ToString().ToLowerInvariant()}]";

    private static double ServerTime(HttpResponseMessage response)
    {
        var header = response.Headers.TryGetValues("Server-Timing", out var values) ? values.First() : throw new InvalidOperationException("No Server-Timing header.");
        var duration = header[(header.IndexOf("dur=", StringComparison.Ordinal) + 4)..];
        return double.Parse(duration, CultureInfo.InvariantCulture);
    }
}

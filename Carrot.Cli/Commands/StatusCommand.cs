using System.CommandLine;
using Carrot.Cli.Output;
using Carrot.Cli.Output.Views;
using Carrot.Cli.Parsing;
using Carrot.Configuration;
using Carrot.Records;
using Carrot.Tasks;
using Spectre.Console;

namespace Carrot.Cli.Commands;

/// <summary>
/// <c>carrot status</c>: live daemons, and per worker its concurrency, queue depth and task counts. The broker is
/// optional here: when it cannot be reached the rest is still shown, depths as "?", and the exit code stays 0.
/// </summary>
internal sealed class StatusCommand : Command
{
    /// <summary>The command's name, which <see cref="CommandTree"/> looks for among the arguments.</summary>
    public const string CommandName = "status";

    private readonly CliContext _context;
    private readonly Option<bool> _json = CliOptions.Json();

    public StatusCommand(CliContext context)
        : base(CommandName, "Show live daemons, and per worker its concurrency, queue depth and task counts.")
    {
        _context = context;
        context.Help.Add(this, """
            A daemon is alive while its heartbeat is recent. DEPTH is how many messages wait in the worker's RabbitMQ
            queue. If RabbitMQ cannot be reached, depths show as "?" and the broker's error is printed (brokerError in
            --json); the exit code is still 0.

            Examples:
              carrot status
              carrot status --json | jq '.daemons | length'
            """);
        Options.Add(_json);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        await using var client = await _context.OpenClientAsync(parseResult, cancellationToken);
        var status = await client.GetStatusAsync(cancellationToken);
        var options = client.Options;
        if (parseResult.GetValue(_json))
        {
            _context.Json.Write(StatusView.From(options, status));
            return ExitCodes.Ok;
        }

        using var tables = _context.CreateTables();
        var header = TableWriter.CreateGrid();
        TableWriter.AddField(header, "Database", DatabaseAddress.Parse(options.Database).Redacted);
        TableWriter.AddField(header, "Broker", BrokerAddressList.Parse(options.Broker).Redacted + (status.BrokerError is null ? "" : " (unreachable)"));
        TableWriter.AddField(header, "Config", options.Source);
        tables.Write(header);
        tables.WriteLine();

        WriteDaemons(tables, status.Daemons, options.HeartbeatSeconds * 3);
        tables.WriteLine();
        WriteWorkers(tables, status);

        if (status.BrokerError is not null)
        {
            tables.WriteLine();
            tables.WriteLine($"Queue depths unknown (\"?\"): {status.BrokerError}", new Style(Color.Yellow));
        }

        return ExitCodes.Ok;
    }

    private static void WriteDaemons(TableWriter tables, IReadOnlyList<DaemonRecord> daemons, int aliveSeconds)
    {
        if (daemons.Count == 0)
        {
            tables.WriteLine($"Daemons: none alive (no carrotd has sent a heartbeat in the last {aliveSeconds} s). Tasks wait in their queues until one runs.", new Style(Color.Yellow));
            return;
        }

        var now = DateTimeOffset.UtcNow;
        var table = TableWriter.CreateTable("DAEMON", "HOST", "PID", "VERSION", "STARTED", "LAST HEARTBEAT", "RUNNING");
        table.Columns[2].RightAligned();
        table.Columns[6].RightAligned();
        foreach (var daemon in daemons)
        {
            TableWriter.AddRow(
                table,
                ShortId(daemon.Id),
                daemon.Host,
                DisplayFormat.Number(daemon.Pid),
                daemon.Version,
                DisplayFormat.Time(daemon.StartedAt),
                $"{DisplayFormat.Time(daemon.HeartbeatAt)} ({DisplayFormat.Ago(daemon.HeartbeatAt, now)})",
                DisplayFormat.Number(daemon.RunningTasks));
        }

        tables.Write(table);
        foreach (var daemon in daemons.Where(d => d.Runaways.Count > 0))
        {
            tables.WriteLine(
                $"Daemon {ShortId(daemon.Id)} has {daemon.Runaways.Count} runaway task(s): {string.Join(", ", daemon.Runaways)}. They ignored their cancellation token after a timeout or cancel; their slots are free, but their code may still run in pid {daemon.Pid}. Restart carrotd to stop them.",
                new Style(Color.Yellow));
        }
    }

    private static void WriteWorkers(TableWriter tables, CarrotStatus status)
    {
        var states = Enum.GetValues<TaskState>();
        var table = TableWriter.CreateTable(["WORKER", "CONCURRENCY", "DEPTH", .. states.Select(s => s.ToName().ToUpperInvariant())]);
        for (var i = 1; i < table.Columns.Count; i++)
        {
            // Right-aligned numbers under distinct headers read fine one space apart, and the table then fits 80 columns.
            table.Columns[i].RightAligned().NoWrap().PadRight(1);
        }

        foreach (var worker in status.Workers)
        {
            // Concurrency 0 marks a removed worker that still has tasks on record.
            var concurrency = worker.Concurrency > 0 ? DisplayFormat.Number(worker.Concurrency) : "(removed)";
            concurrency = worker.Isolation == WorkerIsolation.Process ? $"{concurrency} process" : concurrency;
            concurrency = worker.Paused ? $"{concurrency} paused" : concurrency;
            var depth = worker.QueueDepth is { } d ? DisplayFormat.Number(d) : status.BrokerError is not null ? "?" : DisplayFormat.None;
            TableWriter.AddRow(table, [worker.Worker, concurrency, depth, .. states.Select(s => DisplayFormat.Number(worker.Counts.GetValueOrDefault(s)))]);
        }

        tables.Write(table);
        var ownLimits = status.Workers.Where(w => w.Isolation == WorkerIsolation.Process && (w.RunnerMaxTasks is not null || w.RunnerMaxMemoryMiB is not null)).ToList();
        if (ownLimits.Count > 0)
        {
            tables.WriteLine("Runner limits of their own: " + string.Join("; ", ownLimits.Select(w => $"{w.Worker} {RunnerLimitsDisplay.Text(w.Isolation, w.RunnerMaxTasks, w.RunnerMaxMemoryMiB)}")) + " (other process workers: the daemon's runnerMaxTasks / runnerMaxMemoryMiB).");
        }
    }

    // Daemon ids are long and unique; eight characters are enough to tell live ones apart, as with git hashes.
    private static string ShortId(string id) => id.Length <= 8 ? id : id[..8];
}

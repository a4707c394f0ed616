using System.CommandLine;
using Carrot.Cli.Output;
using Carrot.Cli.Output.Views;
using Carrot.Cli.Parsing;
using Carrot.Messaging;
using Carrot.Records;
using Spectre.Console;

namespace Carrot.Cli.Commands;

/// <summary>
/// <c>carrot schedules add|list|show|pause|resume|remove|run-now</c>: recurring tasks. carrotd fires each
/// occurrence once, whichever daemon gets there first; occurrences missed while no daemon ran make one catch-up run.
/// </summary>
internal sealed class SchedulesCommand : Command
{
    /// <summary>The command's name, which <see cref="CommandTree"/> looks for among the arguments.</summary>
    public const string CommandName = "schedules";

    private readonly CliContext _context;

    public SchedulesCommand(CliContext context)
        : base(CommandName, "Manage recurring schedules: a kallable enqueued on a cron expression or at a fixed interval.")
    {
        _context = context;
        context.Help.Add(this, """
            Examples:
              carrot schedules add nightly-report MyLib.Jobs.Bark --cron "0 3 * * *" --tz Europe/Paris --args '["Rex"]'
              carrot schedules add heartbeat MyLib.Jobs.Bark --every 30s --args '["Rex"]'
              carrot schedules list
              carrot schedules show nightly-report
              carrot schedules run-now nightly-report
              carrot schedules pause nightly-report
            """);
        Subcommands.Add(CreateAdd());
        Subcommands.Add(CreateList());
        Subcommands.Add(CreateShow());
        Subcommands.Add(CreateSimple("pause", "Pause a schedule: it fires nothing until resumed.", async (c, n, t) => Describe(await c.PauseScheduleAsync(n, t), "Paused")));
        Subcommands.Add(CreateSimple("resume", "Resume a paused schedule from its next occurrence (missed ones are skipped).", async (c, n, t) => Describe(await c.ResumeScheduleAsync(n, t), "Resumed")));
        Subcommands.Add(CreateSimple("remove", "Remove a schedule. The tasks it enqueued stay on record.", async (c, n, t) =>
        {
            await c.RemoveScheduleAsync(n, t);
            return $"Removed schedule '{n}'.";
        }));
        Subcommands.Add(CreateRunNow());
    }

    private static Argument<string> NameArgument() => new("NAME") { Description = "The schedule's name." };

    private Command CreateAdd()
    {
        var name = new Argument<string>("NAME") { Description = "A name for the schedule: 1-64 letters, digits, '-', '_' or '.'." };
        var kallable = new Argument<string>("KALLABLE") { Description = "The method to run, as Namespace.Type.Method." };
        var cron = new Option<string?>("--cron") { Description = "A cron expression: 5 fields (minute hour day month weekday) or 6 with seconds first.", HelpName = "EXPR" };
        var timeZone = new Option<string?>("--tz") { Description = "The IANA time zone the cron expression is read in, e.g. Europe/Paris (default UTC). Daylight-saving changes are handled.", HelpName = "ZONE" };
        var every = CliOptions.Span("--every", "A fixed interval instead of a cron expression, e.g. 30s or 5m.");
        var args = new Option<string?>("--args") { Description = "Positional arguments as a JSON array.", HelpName = "JSON" };
        var kwargs = new Option<string?>("--kwargs") { Description = "Named arguments as a JSON object.", HelpName = "JSON" };
        var worker = new Option<string>("--worker", "-w") { Description = "The worker that runs the tasks.", HelpName = "NAME", DefaultValueFactory = _ => WorkerRecord.DefaultName };
        var priority = CliOptions.Priority();
        var maxRetries = CliOptions.MaxRetries("Retries for each task it enqueues.");
        var timeout = CliOptions.Timeout("--timeout", "Timeout for each task it enqueues.");
        var command = new Command("add", "Add a recurring schedule.") { name, kallable, cron, timeZone, every, args, kwargs, worker, priority, maxRetries, timeout };
        _context.Help.Add(command, """
            Exactly one of --cron and --every. The kallable, arguments and worker are checked as for 'carrot enqueue'.

            Examples:
              carrot schedules add cleanup MyLib.Jobs.Bark --cron "*/5 * * * *" --args '["Rex"]'
              carrot schedules add paris-morning MyLib.Jobs.Bark --cron "0 9 * * 1-5" --tz Europe/Paris --args '["Rex"]'
              carrot schedules add poll MyLib.Jobs.Bark --every 30s --args '["Rex"]' --worker files
            """);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var client = await _context.OpenClientAsync(parseResult, cancellationToken);
            var schedule = await client.AddScheduleAsync(new ScheduleRequest
            {
                Name = parseResult.GetRequiredValue(name),
                Kallable = parseResult.GetRequiredValue(kallable),
                Cron = parseResult.GetValue(cron),
                TimeZone = parseResult.GetValue(timeZone),
                Every = parseResult.GetValue(every),
                Args = parseResult.GetValue(args) ?? "[]",
                Kwargs = parseResult.GetValue(kwargs) ?? "{}",
                Worker = parseResult.GetRequiredValue(worker),
                Priority = parseResult.GetValue(priority) ?? 0,
                MaxRetries = parseResult.GetValue(maxRetries),
                Timeout = parseResult.GetValue(timeout),
            }, cancellationToken);
            _context.Out.WriteLine(Describe(schedule, "Added"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private Command CreateList()
    {
        var json = CliOptions.Json();
        var command = new Command("list", "List the schedules, by name.") { json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var client = await _context.OpenClientAsync(parseResult, cancellationToken);
            var schedules = await client.ListSchedulesAsync(cancellationToken);
            var workers = (await client.ListWorkersAsync(cancellationToken)).Select(w => w.Name).ToHashSet(StringComparer.Ordinal);
            if (parseResult.GetValue(json))
            {
                _context.Json.Write<IReadOnlyList<ScheduleView>>(schedules.Select(ScheduleView.From).ToList());
                return ExitCodes.Ok;
            }

            using var tables = _context.CreateTables();
            if (schedules.Count == 0)
            {
                tables.WriteLine("No schedules. Add one with 'carrot schedules add NAME KALLABLE --cron \"*/5 * * * *\"'.");
                return ExitCodes.Ok;
            }

            var table = TableWriter.CreateTable("NAME", "WHEN", "KALLABLE", "WORKER", "STATE", "NEXT RUN", "LAST TASK");
            foreach (var schedule in schedules)
            {
                TableWriter.AddRow(
                    table,
                    schedule.Name,
                    When(schedule),
                    schedule.Kallable,
                    schedule.Worker,
                    State(schedule, workers),
                    schedule.Paused ? DisplayFormat.None : DisplayFormat.Time(schedule.NextRunAt),
                    schedule.LastTaskId is { } id ? DisplayFormat.Number(id) : DisplayFormat.None);
            }

            tables.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private Command CreateShow()
    {
        var name = NameArgument();
        var json = CliOptions.Json();
        var command = new Command("show", "Show a schedule and the last tasks it enqueued.") { name, json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var client = await _context.OpenClientAsync(parseResult, cancellationToken);
            var schedule = await client.GetScheduleAsync(parseResult.GetRequiredValue(name), cancellationToken);
            if (parseResult.GetValue(json))
            {
                _context.Json.Write(ScheduleView.From(schedule));
                return ExitCodes.Ok;
            }

            var tasks = await client.ListTasksAsync(new TaskQuery { ScheduleId = schedule.Id, Limit = 10 }, cancellationToken);
            using var tables = _context.CreateTables();
            var grid = TableWriter.CreateGrid();
            TableWriter.AddField(grid, "Name", schedule.Name);
            TableWriter.AddField(grid, "When", When(schedule));
            TableWriter.AddField(grid, "Kallable", schedule.Kallable);
            TableWriter.AddField(grid, "Args", schedule.Args);
            TableWriter.AddField(grid, "Kwargs", schedule.Kwargs);
            TableWriter.AddField(grid, "Worker", schedule.Worker);
            TableWriter.AddField(grid, "Priority", DisplayFormat.Number(schedule.Priority));
            var workers = (await client.ListWorkersAsync(cancellationToken)).Select(w => w.Name).ToHashSet(StringComparer.Ordinal);
            TableWriter.AddField(grid, "State", State(schedule, workers));
            TableWriter.AddField(grid, "Next run", schedule.Paused ? DisplayFormat.None : DisplayFormat.Time(schedule.NextRunAt));
            TableWriter.AddField(grid, "Last run", DisplayFormat.Time(schedule.LastRunAt));
            tables.Write(grid);
            tables.WriteLine();
            if (tasks.Count == 0)
            {
                tables.WriteLine("It has not enqueued any task yet.");
                return ExitCodes.Ok;
            }

            var table = TableWriter.CreateTable("TASK", "STATE", "CREATED", "FINISHED");
            foreach (var task in tasks)
            {
                TableWriter.AddRow(table, new Text(DisplayFormat.Number(task.Id)), DisplayFormat.State(task.State), new Text(DisplayFormat.Time(task.CreatedAt)), new Text(DisplayFormat.Time(task.FinishedAt)));
            }

            tables.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private Command CreateRunNow()
    {
        var name = NameArgument();
        var command = new Command("run-now", "Enqueue the schedule's task now, outside its rhythm. Prints the task id.") { name };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var client = await _context.OpenClientAsync(parseResult, cancellationToken);
            var enqueued = await client.RunScheduleNowAsync(parseResult.GetRequiredValue(name), cancellationToken);
            _context.Out.WriteLine(enqueued.TaskId);
            if (!enqueued.Published)
            {
                _context.Errors.Write($"Task {enqueued.TaskId} saved but not yet dispatched: {enqueued.PublishError} carrotd will publish it when RabbitMQ is reachable.");
                return ExitCodes.SavedNotDispatched;
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private Command CreateSimple(string verb, string description, Func<Client.CarrotClient, string, CancellationToken, Task<string>> action)
    {
        var name = NameArgument();
        var command = new Command(verb, description) { name };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var client = await _context.OpenClientAsync(parseResult, cancellationToken);
            _context.Out.WriteLine(await action(client, parseResult.GetRequiredValue(name), cancellationToken));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Describe(ScheduleRecord schedule, string verb) =>
        schedule.Paused
            ? $"{verb} schedule '{schedule.Name}' ({When(schedule)}); it is paused."
            : $"{verb} schedule '{schedule.Name}' ({When(schedule)}); next run {DisplayFormat.Time(schedule.NextRunAt)}.";

    // A schedule whose worker is gone fires nothing (carrotd pauses it); say why rather than just "paused".
    private static string State(ScheduleRecord schedule, HashSet<string> workers) =>
        !workers.Contains(schedule.Worker) ? $"paused: worker '{schedule.Worker}' no longer exists" : schedule.Paused ? "paused" : "active";

    private static string When(ScheduleRecord schedule) =>
        schedule.Cron is { } cron ? $"cron \"{cron}\" {schedule.TimeZone ?? "UTC"}" : $"every {Interval(schedule.Every ?? TimeSpan.Zero)}";

    // As it was typed (30s, 5m, 2h, 1d), not as a clock reading.
    private static string Interval(TimeSpan every)
    {
        foreach (var (unit, size) in new[] { ("d", TimeSpan.FromDays(1)), ("h", TimeSpan.FromHours(1)), ("m", TimeSpan.FromMinutes(1)), ("s", TimeSpan.FromSeconds(1)) })
        {
            if (every >= size && every.Ticks % size.Ticks == 0)
            {
                return $"{every.Ticks / size.Ticks}{unit}";
            }
        }

        return $"{every.TotalMilliseconds:0}ms";
    }
}

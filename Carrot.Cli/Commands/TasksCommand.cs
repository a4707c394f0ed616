using System.CommandLine;
using Carrot.Cli.Output;
using Carrot.Cli.Output.Views;
using Carrot.Cli.Parsing;
using Carrot.Errors;
using Carrot.Records;
using Carrot.Tasks;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Carrot.Cli.Commands;

/// <summary><c>carrot tasks list|show</c>: read tasks back from the database. Never touches the broker.</summary>
internal sealed class TasksCommand : Command
{
    private const int DefaultLimit = 50;

    private readonly CliContext _context;

    public TasksCommand(CliContext context)
        : base("tasks", "Inspect tasks: list them, or show one with its result, error and logs.")
    {
        _context = context;
        context.Help.Add(this, """
            Examples:
              carrot tasks list --status failed
              carrot tasks show 42 --logs
            """);
        Subcommands.Add(CreateList());
        Subcommands.Add(CreateShow());
    }

    private Command CreateList()
    {
        var status = CliOptions.State("--status", "Only tasks in this state.");
        var worker = new Option<string?>("--worker", "-w") { Description = "Only tasks of this worker.", HelpName = "NAME" };
        var kallable = new Option<string?>("--kallable", "-k") { Description = "Only tasks of this kallable (exact name).", HelpName = "KALLABLE" };
        var limit = CliOptions.AtLeast("--limit", "At most this many tasks.", 1, DefaultLimit);
        var json = CliOptions.Json();
        var command = new Command("list", "List tasks, newest first.") { status, worker, kallable, limit, json };
        _context.Help.Add(command, """
            Examples:
              carrot tasks list
              carrot tasks list --status failed --worker files --limit 10
              carrot tasks list --kallable MyLib.Jobs.Bark --json | jq '.[].id'
            """);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var client = await _context.OpenClientAsync(parseResult, cancellationToken);
            var tasks = await client.ListTasksAsync(new TaskQuery
            {
                State = parseResult.GetValue(status),
                Worker = parseResult.GetValue(worker),
                Kallable = parseResult.GetValue(kallable),
                Limit = parseResult.GetValue(limit),
            }, cancellationToken);
            if (parseResult.GetValue(json))
            {
                _context.Json.Write<IReadOnlyList<TaskView>>(tasks.Select(TaskView.From).ToList());
                return ExitCodes.Ok;
            }

            using var tables = _context.CreateTables();
            if (tasks.Count == 0)
            {
                tables.WriteLine("No tasks match.");
                return ExitCodes.Ok;
            }

            var table = TableWriter.CreateTable("ID", "STATE", "KALLABLE", "WORKER", "PRI", "ATTEMPTS", "CREATED", "RAN FOR");
            table.Columns[0].RightAligned();

            // On a narrow terminal the kallable column wraps; ids, states and times stay on one line.
            table.Columns[0].NoWrap();
            table.Columns[1].NoWrap();
            table.Columns[6].NoWrap();
            table.Columns[7].NoWrap();

            foreach (var task in tasks)
            {
                TableWriter.AddRow(
                    table,
                    new Text(DisplayFormat.Number(task.Id)),
                    DisplayFormat.State(task.State),
                    new Text(task.Kallable),
                    new Text(task.Worker),
                    new Text(DisplayFormat.Number(task.Priority)),
                    new Text($"{task.Attempts}/{task.MaxAttempts}"),
                    new Text(DisplayFormat.Time(task.CreatedAt)),
                    new Text(RunDuration(task)));
            }

            tables.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private Command CreateShow()
    {
        var id = new Argument<long>("ID")
        {
            Description = "The task id, as printed by 'carrot enqueue'.",
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0)
                {
                    return value;
                }

                result.AddError($"'{text}' is not a task id; ids are positive whole numbers, as printed by 'carrot enqueue'.");
                return 0;
            },
        };
        var logs = new Option<bool>("--logs") { Description = "Also show the log lines the task wrote, per attempt." };
        var json = CliOptions.Json();
        var command = new Command("show", "Show every field of one task: arguments, state, times, node, result, error and stack trace.") { id, logs, json };
        _context.Help.Add(command, """
            Exits 2 when there is no task with that id.

            Examples:
              carrot tasks show 42
              carrot tasks show 42 --logs
              carrot tasks show 42 --json | jq .result
            """);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var taskId = parseResult.GetValue(id);
            await using var client = await _context.OpenClientAsync(parseResult, cancellationToken);
            var task = await client.GetTaskAsync(taskId, cancellationToken)
                ?? throw new CarrotInputException($"There is no task {taskId}. See 'carrot tasks list'.");
            var lines = parseResult.GetValue(logs) ? await client.GetTaskLogsAsync(taskId, cancellationToken) : null;
            if (parseResult.GetValue(json))
            {
                _context.Json.Write(TaskView.From(task) with { Logs = lines?.Select(TaskLogView.From).ToList() });
                return ExitCodes.Ok;
            }

            using var tables = _context.CreateTables();
            tables.Write(Describe(task));
            if (lines is not null)
            {
                tables.WriteLine();
                tables.Write(DescribeLogs(task.Id, lines));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Grid Describe(TaskRecord task)
    {
        var grid = TableWriter.CreateGrid();
        TableWriter.AddField(grid, "ID", DisplayFormat.Number(task.Id));
        TableWriter.AddField(grid, "Kallable", task.Kallable);
        TableWriter.AddField(grid, "Args", task.Args);
        TableWriter.AddField(grid, "Kwargs", task.Kwargs);
        TableWriter.AddField(grid, "Worker", task.Worker);
        TableWriter.AddField(grid, "State", task.State.ToName(), DisplayFormat.StateStyle(task.State));
        TableWriter.AddField(grid, "Priority", DisplayFormat.Number(task.Priority));
        TableWriter.AddField(grid, "Attempts", $"{task.Attempts} of {task.MaxAttempts}");
        TableWriter.AddField(grid, "Created", DisplayFormat.Time(task.CreatedAt));
        TableWriter.AddField(grid, "Queued", DisplayFormat.Time(task.QueuedAt));
        TableWriter.AddField(grid, "Published", Published(task));
        TableWriter.AddField(grid, "Started", DisplayFormat.Time(task.StartedAt));
        TableWriter.AddField(grid, "Finished", DisplayFormat.Time(task.FinishedAt));
        TableWriter.AddField(grid, "Duration", RunDuration(task));
        TableWriter.AddField(grid, "Node", task.Node ?? DisplayFormat.None);
        TableWriter.AddField(grid, "Result", task.Result ?? DisplayFormat.None);
        TableWriter.AddField(grid, "Error", task.ErrorType is null ? DisplayFormat.None : $"{task.ErrorType}: {task.ErrorMessage}", task.ErrorType is null ? (Style?)null : new Style(Color.Red));
        TableWriter.AddField(grid, "Stack trace", string.IsNullOrEmpty(task.StackTrace) ? DisplayFormat.None : task.StackTrace);
        return grid;
    }

    private static IRenderable DescribeLogs(long taskId, IReadOnlyList<TaskLogLine> lines)
    {
        if (lines.Count == 0)
        {
            return new Text($"Task {taskId} has no captured log lines.\n");
        }

        var table = TableWriter.CreateTable("TIME", "ATTEMPT", "LEVEL", "MESSAGE");
        foreach (var line in lines)
        {
            TableWriter.AddRow(
                table,
                new Text(DisplayFormat.Time(line.At)),
                new Text(DisplayFormat.Number(line.Attempt)),
                new Text(DisplayFormat.Level(line.Level), DisplayFormat.LevelStyle(line.Level)),
                new Text(line.Message));
        }

        return table;
    }

    // An unpublished queued task is normal while the broker is down; say what happens next rather than just "-".
    private static string Published(TaskRecord task) => task switch
    {
        { PublishedAt: { } at } => DisplayFormat.Time(at),
        { State: TaskState.Queued } => "not yet (carrotd publishes it when RabbitMQ is reachable)",
        _ => DisplayFormat.None,
    };

    private static string RunDuration(TaskRecord task) => task switch
    {
        { StartedAt: { } started, FinishedAt: { } finished } => DisplayFormat.Duration(finished - started),
        { State: TaskState.Running, StartedAt: { } started } => $"running for {DisplayFormat.Duration(DateTimeOffset.UtcNow - started)}",
        _ => DisplayFormat.None,
    };
}

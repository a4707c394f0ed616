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
    /// <summary>The command's name, which <see cref="CommandTree"/> looks for among the arguments.</summary>
    public const string CommandName = "tasks";

    private const int DefaultLimit = 50;

    // A listing is read whole into memory; past this, page with --status/--worker/--kallable filters instead.
    private const int MaxLimit = 100_000;

    private readonly CliContext _context;

    public TasksCommand(CliContext context)
        : base(CommandName, "Inspect and manage tasks: list, show (result, error, attempts, logs), cancel, retry, purge.")
    {
        _context = context;
        context.Help.Add(this, """
            Examples:
              carrot tasks list --status failed
              carrot tasks show 42 --logs
              carrot tasks cancel 42
              carrot tasks retry --failed
              carrot tasks purge --older-than 7d
            """);
        Subcommands.Add(CreateList());
        Subcommands.Add(CreateShow());
        Subcommands.Add(CreateCancel());
        Subcommands.Add(CreateRetry());
        Subcommands.Add(CreatePurge());
    }

    private Command CreateList()
    {
        var status = CliOptions.State("--status", "Only tasks in this state.");
        var worker = new Option<string?>("--worker", "-w") { Description = "Only tasks of this worker.", HelpName = "NAME" };
        var kallable = new Option<string?>("--kallable", "-k") { Description = "Only tasks of this kallable (exact name).", HelpName = "KALLABLE" };
        var limit = CliOptions.Integer("--limit", $"At most this many tasks (default {DefaultLimit}).", $"1 to {MaxLimit:N0}", 1, MaxLimit);
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
                Limit = parseResult.GetValue(limit) ?? DefaultLimit,
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
        var id = TaskIdArgument();
        var logs = new Option<bool>("--logs") { Description = "Also show the log lines the task wrote, per attempt." };
        var follow = new Option<bool>("--follow", "-f") { Description = "With --logs: go on printing the lines a running task writes, until it is finished." };
        var json = CliOptions.Json();
        var command = new Command("show", "Show every field of one task: arguments, state, times, node, result, error and stack trace.") { id, logs, follow, json };
        _context.Help.Add(command, """
            Exits 2 when there is no task with that id.

            Examples:
              carrot tasks show 42
              carrot tasks show 42 --logs
              carrot tasks show 42 --logs --follow
              carrot tasks show 42 --json | jq .result
            """);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var taskId = parseResult.GetValue(id);
            if (parseResult.GetValue(follow) && (parseResult.GetValue(json) || !parseResult.GetValue(logs)))
            {
                throw new CarrotInputException("--follow goes with --logs and prints lines as they come: use 'carrot tasks show ID --logs --follow', without --json.");
            }

            await using var client = await _context.OpenClientAsync(parseResult, cancellationToken);
            var task = await client.GetTaskAsync(taskId, cancellationToken)
                ?? throw new CarrotInputException($"There is no task {taskId}. See 'carrot tasks list'.");
            var lines = parseResult.GetValue(logs) ? await client.GetTaskLogsAsync(taskId, cancellationToken) : null;
            var attempts = await client.GetTaskAttemptsAsync(taskId, cancellationToken);
            if (parseResult.GetValue(json))
            {
                _context.Json.Write(TaskView.From(task) with { Logs = lines?.Select(TaskLogView.From).ToList(), AttemptHistory = attempts });
                return ExitCodes.Ok;
            }

            using var tables = _context.CreateTables();
            tables.Write(Describe(task));
            if (attempts.Count > 0)
            {
                tables.WriteLine();
                tables.Write(DescribeAttempts(attempts));
            }
            if (lines is not null)
            {
                tables.WriteLine();
                tables.Write(DescribeLogs(task.Id, lines));
            }

            if (parseResult.GetValue(follow))
            {
                await new TaskLogFollower(client, _context.Out).FollowAsync(taskId, lines?.Count ?? 0, cancellationToken);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Argument<long> TaskIdArgument() => new("ID")
    {
        Description = "The task id, as printed by 'carrot enqueue'.",
        CustomParser = result => ParseTaskId(result) ?? 0,
    };

    private static Argument<long?> OptionalTaskIdArgument(string description) => new("ID")
    {
        Description = description,
        Arity = ArgumentArity.ZeroOrOne,
        CustomParser = result => result.Tokens.Count == 0 ? null : ParseTaskId(result),
    };

    private static long? ParseTaskId(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            return value;
        }

        result.AddError($"'{InputEcho.Shorten(text)}' is not a task id; ids are positive whole numbers, as printed by 'carrot enqueue'.");
        return null;
    }

    private Command CreateCancel()
    {
        var id = TaskIdArgument();
        var wait = CliOptions.Span("--wait-timeout", "How long to wait for a running task to stop. Default 10s.");
        var json = CliOptions.Json();
        var command = new Command("cancel", "Cancel a task: a queued or scheduled one never starts; a running one has its cancellation token fired, on whichever daemon runs it.") { id, wait, json };
        _context.Help.Add(command, """
            For a running task carrot waits (up to --wait-timeout) until it has stopped and prints its final state.
            A task that ignores its token is recorded as cancelled after runawayGraceSeconds and listed as a runaway
            in 'carrot status'. Exits 2 for an unknown or already finished task.

            Examples:
              carrot tasks cancel 42
              carrot tasks cancel 42 --wait-timeout 30s --json
            """);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var taskId = parseResult.GetValue(id);
            await using var client = await _context.OpenClientAsync(parseResult, cancellationToken);
            var state = await client.CancelTaskAsync(taskId, cancellationToken);
            if (state == TaskState.Running)
            {
                try
                {
                    state = (await client.WaitForCompletionAsync(taskId, parseResult.GetValue(wait) ?? TimeSpan.FromSeconds(10), cancellationToken)).State;
                }
                catch (TimeoutException)
                {
                    _context.Errors.Write($"Task {taskId} was asked to cancel but is still running; its daemon fires its token, see 'carrot tasks show {taskId}'.");
                    return ExitCodes.Failure;
                }
            }

            if (parseResult.GetValue(json))
            {
                _context.Json.Write(new TaskActionView("cancel", 1, [taskId], state.ToName()));
            }
            else
            {
                _context.Out.WriteLine(state == TaskState.Cancelled ? $"Task {taskId} cancelled." : $"Task {taskId} finished as {state.ToName()} before the cancel took effect.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private Command CreateRetry()
    {
        var id = OptionalTaskIdArgument("The failed or cancelled task to run again.");
        var failed = new Option<bool>("--failed") { Description = "Retry every failed task (with --worker: of that worker) instead of one." };
        var worker = new Option<string?>("--worker", "-w") { Description = "With --failed: only this worker's tasks.", HelpName = "NAME" };
        var json = CliOptions.Json();
        var command = new Command("retry", "Run a failed or cancelled task again, keeping its attempt history, with a fresh set of retries.") { id, failed, worker, json };
        _context.Help.Add(command, """
            Examples:
              carrot tasks retry 42
              carrot tasks retry --failed --worker files
            """);
        command.Validators.Add(result =>
        {
            // By its tokens, not its value: reading a value that did not parse would throw here.
            var hasId = result.GetResult(id) is { Tokens.Count: > 0 };
            if (hasId == result.GetValue(failed))
            {
                result.AddError("Give a task ID, or --failed to retry every failed task (not both).");
            }
            else if (hasId && result.GetValue(worker) is not null)
            {
                result.AddError("--worker goes with --failed only.");
            }
        });
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var client = await _context.OpenClientAsync(parseResult, cancellationToken);
            if (parseResult.GetValue(id) is { } taskId)
            {
                var retried = await client.RetryTaskAsync(taskId, cancellationToken);
                WriteAction(parseResult.GetValue(json), new TaskActionView("retry", 1, [taskId], "queued"), $"Task {taskId} queued again.");
                return retried.Published ? ExitCodes.Ok : NotDispatched(retried.PublishError);
            }

            var (count, published, orphans) = await client.RetryFailedTasksAsync(parseResult.GetValue(worker), cancellationToken);
            if (orphans > 0)
            {
                _context.Errors.Write($"{orphans} failed task(s) were left failed: their worker no longer exists, so nothing would run them. Add the worker again ('carrot workers add NAME') and retry.");
            }

            WriteAction(parseResult.GetValue(json), new TaskActionView("retry", count, [], "queued"), $"{count} failed task(s) queued again.");
            return published == count ? ExitCodes.Ok : NotDispatched($"{count - published} of them were not confirmed by RabbitMQ.");
        });
        return command;
    }

    private Command CreatePurge()
    {
        var olderThan = CliOptions.Span("--older-than", "Delete tasks that finished more than this long ago, e.g. 7d or 12h.");
        olderThan.Required = true;
        var status = CliOptions.State("--status", "Only tasks in this state: succeeded, failed or cancelled (default: all three).");
        var json = CliOptions.Json();
        var command = new Command("purge", "Delete finished tasks (with their logs and attempts) older than a given age. Unfinished tasks are never touched.") { olderThan, status, json };
        _context.Help.Add(command, """
            carrotd also prunes on its own: see succeededRetentionDays, failedRetentionDays and cancelledRetentionDays.

            Examples:
              carrot tasks purge --older-than 7d
              carrot tasks purge --older-than 1d --status succeeded
            """);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var age = parseResult.GetValue(olderThan)!.Value;
            TaskState[] states = parseResult.GetValue(status) is { } only ? [only] : [TaskState.Succeeded, TaskState.Failed, TaskState.Cancelled];
            await using var client = await _context.OpenClientAsync(parseResult, cancellationToken);
            var cutoff = DateTimeOffset.UtcNow - age;
            var purged = await client.PurgeTasksAsync(cutoff, states, cancellationToken);
            WriteAction(parseResult.GetValue(json), new TaskActionView("purge", purged, [], null),
                $"Purged {purged} {string.Join("/", states.Select(s => s.ToName()))} task(s) that finished before {DisplayFormat.Time(cutoff)}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private void WriteAction(bool json, TaskActionView view, string text)
    {
        if (json)
        {
            _context.Json.Write(view);
        }
        else
        {
            _context.Out.WriteLine(text);
        }
    }

    private int NotDispatched(string? why)
    {
        _context.Errors.Write($"Queued but not yet dispatched: {why} carrotd will publish it when RabbitMQ is reachable.");
        return ExitCodes.SavedNotDispatched;
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
        TableWriter.AddField(grid, "Timeout", task.Timeout is { } timeout ? DisplayFormat.Duration(timeout) : "default");
        TableWriter.AddField(grid, "Created", DisplayFormat.Time(task.CreatedAt));
        if (task.RunAt is { } runAt)
        {
            TableWriter.AddField(grid, task.State == TaskState.Scheduled ? "Due" : "Was due", DisplayFormat.Time(runAt));
        }

        if (task.ScheduleId is { } scheduleId)
        {
            TableWriter.AddField(grid, "Schedule", $"#{scheduleId} (see 'carrot schedules list')");
        }

        if (task.Key is { } key)
        {
            TableWriter.AddField(grid, "Key", key);
        }

        if (task.CancelRequestedAt is { } cancelAt)
        {
            TableWriter.AddField(grid, "Cancel asked", DisplayFormat.Time(cancelAt));
        }

        TableWriter.AddField(grid, "Queued", DisplayFormat.Time(task.QueuedAt));
        TableWriter.AddField(grid, "Published", Published(task));
        TableWriter.AddField(grid, "Started", DisplayFormat.Time(task.StartedAt));
        TableWriter.AddField(grid, "Finished", DisplayFormat.Time(task.FinishedAt));
        TableWriter.AddField(grid, "Duration", RunDuration(task));
        TableWriter.AddField(grid, "Node", task.Node ?? DisplayFormat.None);
        TableWriter.AddField(grid, "Trace", Carrot.Diagnostics.Telemetry.TraceParent.TraceIdOf(task.TraceParent) ?? DisplayFormat.None);
        TableWriter.AddField(grid, "Result", task.Result ?? DisplayFormat.None);
        TableWriter.AddField(grid, "Error", task.ErrorType is null ? DisplayFormat.None : $"{task.ErrorType}: {task.ErrorMessage}", task.ErrorType is null ? (Style?)null : new Style(Color.Red));
        TableWriter.AddField(grid, "Stack trace", string.IsNullOrEmpty(task.StackTrace) ? DisplayFormat.None : task.StackTrace);
        return grid;
    }

    private static Table DescribeAttempts(IReadOnlyList<TaskAttemptRecord> attempts)
    {
        var table = TableWriter.CreateTable("ATTEMPT", "ENDED", "NODE", "STARTED", "FINISHED", "ERROR");
        foreach (var attempt in attempts)
        {
            TableWriter.AddRow(
                table,
                DisplayFormat.Number(attempt.Attempt),
                attempt.Status,
                attempt.Node ?? DisplayFormat.None,
                DisplayFormat.Time(attempt.StartedAt),
                DisplayFormat.Time(attempt.FinishedAt),
                attempt.ErrorType is null ? DisplayFormat.None : $"{attempt.ErrorType}: {attempt.ErrorMessage}");
        }

        return table;
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

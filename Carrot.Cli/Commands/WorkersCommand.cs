using System.CommandLine;
using Carrot.Cli.Output;
using Carrot.Cli.Output.Views;
using Carrot.Cli.Parsing;
using Carrot.Client;
using Carrot.Records;
using Spectre.Console;

namespace Carrot.Cli.Commands;

/// <summary>
/// <c>carrot workers add|list|update|remove</c>. A worker is a named queue with its own concurrency; running
/// daemons re-read the table, so changes apply without a restart.
/// </summary>
internal sealed class WorkersCommand : Command
{
    /// <summary>The command's name, which <see cref="CommandTree"/> looks for among the arguments.</summary>
    public const string CommandName = "workers";

    private readonly CliContext _context;

    public WorkersCommand(CliContext context)
        : base(CommandName, "Manage workers: named queues, each running a set number of tasks at once.")
    {
        _context = context;
        context.Help.Add(this, """
            Running carrotd processes re-read the workers every few seconds, so changes apply without a restart.

            Examples:
              carrot workers add files --concurrency 4 --description "File conversions"
              carrot workers list
              carrot workers update files --concurrency 8
              carrot workers pause files
              carrot workers resume files
              carrot workers remove files
            """);
        Subcommands.Add(CreateAdd());
        Subcommands.Add(CreateList());
        Subcommands.Add(CreateUpdate());
        Subcommands.Add(CreateRemove());
        Subcommands.Add(CreatePause(pause: true));
        Subcommands.Add(CreatePause(pause: false));
    }

    private static Argument<string> NameArgument(string description) => new("NAME") { Description = description };

    private Command CreateAdd()
    {
        var name = NameArgument("The worker's name: 1-64 letters, digits, '-', '_' or '.'. It is also the queue's name.");
        var concurrency = CliOptions.Concurrency();
        var description = new Option<string?>("--description", "-d") { Description = "What this worker is for.", HelpName = "TEXT" };
        var isolation = CliOptions.Isolation($"Where its task code runs: 'process' (runner processes of its own: crashes, hard stops and leaks end only a runner) or 'inprocess' (inside carrotd). Default {WorkerIsolationNames.Default.ToName()}.");
        var (maxTasks, maxMemory) = RunnerLimitOptions();
        var command = new Command("add", "Add a worker.") { name, concurrency, description, isolation, maxTasks, maxMemory };
        _context.Help.Add(command, """
            Examples:
              carrot workers add files
              carrot workers add images --concurrency 4 --description "Thumbnails and resizes"
              carrot workers add untrusted --isolation process
              carrot workers add reports --isolation process --runner-max-tasks 50 --runner-max-memory 1024
            """);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var client = await _context.OpenClientAsync(parseResult, cancellationToken);
            var worker = await client.AddWorkerAsync(
                parseResult.GetRequiredValue(name), parseResult.GetValue(concurrency) ?? 1, parseResult.GetValue(description) ?? "",
                parseResult.GetValue(isolation) ?? WorkerIsolationNames.Default, parseResult.GetValue(maxTasks)?.Value, parseResult.GetValue(maxMemory)?.Value, cancellationToken);
            _context.Out.WriteLine($"Added worker '{worker.Name}' ({Summary(worker)}). Send it tasks with: carrot enqueue KALLABLE --worker {worker.Name}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private Command CreateList()
    {
        var json = CliOptions.Json();
        var command = new Command("list", "List the workers, by name.") { json };
        _context.Help.Add(command, """
            Examples:
              carrot workers list
              carrot workers list --json | jq -r '.[].name'

            RUNNER LIMITS apply to process workers only: a runner is replaced after that many tasks, or once its
            memory passes that many MiB (after its task); "default" is the daemon's runnerMaxTasks / runnerMaxMemoryMiB.
            In --json, runnerMaxTasks and runnerMaxMemoryMiB are null for the daemon's default, 0 for no limit.
            """);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var client = await _context.OpenClientAsync(parseResult, cancellationToken);
            var workers = await client.ListWorkersAsync(cancellationToken);
            if (parseResult.GetValue(json))
            {
                _context.Json.Write<IReadOnlyList<WorkerView>>(workers.Select(WorkerView.From).ToList());
                return ExitCodes.Ok;
            }

            using var tables = _context.CreateTables();
            var table = TableWriter.CreateTable("NAME", "CONCURRENCY", "ISOLATION", "RUNNER LIMITS", "STATE", "DESCRIPTION", "CREATED", "UPDATED");
            table.Columns[1].RightAligned();
            table.Columns[6].NoWrap();
            table.Columns[7].NoWrap();
            foreach (var worker in workers)
            {
                TableWriter.AddRow(
                    table, worker.Name, DisplayFormat.Number(worker.Concurrency), worker.Isolation.ToName(), RunnerLimitsDisplay.Text(worker.Isolation, worker.RunnerMaxTasks, worker.RunnerMaxMemoryMiB) ?? DisplayFormat.None,
                    worker.Paused ? "paused" : "active", worker.Description, DisplayFormat.Time(worker.CreatedAt), DisplayFormat.Time(worker.UpdatedAt));
            }

            tables.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private Command CreateUpdate()
    {
        var name = NameArgument("The worker to change.");
        var concurrency = CliOptions.Concurrency();
        var description = new Option<string?>("--description", "-d") { Description = "What this worker is for.", HelpName = "TEXT" };
        var isolation = CliOptions.Isolation("Where its task code runs from now on: 'process' or 'inprocess'. Running tasks finish where they are.");
        var (maxTasks, maxMemory) = RunnerLimitOptions();
        var command = new Command("update", "Change a worker's concurrency, description, isolation or runner limits; running daemons apply it without a restart.")
        {
            name, concurrency, description, isolation, maxTasks, maxMemory,
        };
        _context.Help.Add(command, """
            Examples:
              carrot workers update files --concurrency 8
              carrot workers update default --description "Everything else"
              carrot workers update files --isolation process
              carrot workers update files --runner-max-tasks 100 --runner-max-memory default
            """);
        command.Validators.Add(result =>
        {
            if (result.GetResult(concurrency) is null && result.GetResult(description) is null && result.GetResult(isolation) is null
                && result.GetResult(maxTasks) is null && result.GetResult(maxMemory) is null)
            {
                result.AddError("Nothing to change: pass --concurrency N, --description TEXT, --isolation process|inprocess, --runner-max-tasks N|default and/or --runner-max-memory MIB|default.");
            }
        });
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var client = await _context.OpenClientAsync(parseResult, cancellationToken);
            var worker = await client.UpdateWorkerAsync(
                parseResult.GetRequiredValue(name), parseResult.GetValue(concurrency), parseResult.GetValue(description), parseResult.GetValue(isolation),
                parseResult.GetValue(maxTasks), parseResult.GetValue(maxMemory), cancellationToken);
            _context.Out.WriteLine($"Updated worker '{worker.Name}' ({Summary(worker)}).");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static (Option<RunnerLimitChange?> MaxTasks, Option<RunnerLimitChange?> MaxMemory) RunnerLimitOptions() => (
        CliOptions.RunnerMaxTasks("Process workers: replace a runner after N tasks (it finishes its task first); 0: no limit; 'default' is the daemon's runnerMaxTasks."),
        CliOptions.RunnerMaxMemory("Process workers: replace a runner whose memory passes MIB MiB after a task; 0 no limit; 'default' is the daemon's runnerMaxMemoryMiB."));

    /// <summary>What add and update confirm: the runner limits only where they apply (or are set for a later switch).</summary>
    private static string Summary(WorkerRecord worker)
    {
        var limits = RunnerLimitsDisplay.Text(worker.Isolation, worker.RunnerMaxTasks, worker.RunnerMaxMemoryMiB);
        var runners = limits is null ? "" : $", runner limits {limits.Trim('(', ')')}";
        return $"concurrency {worker.Concurrency}, isolation {worker.Isolation.ToName()}{runners}";
    }

    private Command CreateRemove()
    {
        var name = NameArgument("The worker to remove. It must have nothing scheduled, queued or running.");
        var command = new Command("remove", $"Remove a worker with no pending tasks. Its finished tasks stay on record; '{WorkerRecord.DefaultName}' cannot be removed.")
        {
            name,
        };
        _context.Help.Add(command, """
            Examples:
              carrot workers remove files
            """);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var client = await _context.OpenClientAsync(parseResult, cancellationToken);
            var worker = parseResult.GetRequiredValue(name);
            await client.RemoveWorkerAsync(worker, cancellationToken);
            _context.Out.WriteLine($"Removed worker '{worker}'.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private Command CreatePause(bool pause)
    {
        var name = NameArgument(pause ? "The worker to pause." : "The worker to resume.");
        var command = new Command(
            pause ? "pause" : "resume",
            pause
                ? "Pause a worker: running tasks finish, nothing new starts, new tasks keep queuing. Daemons apply it within seconds."
                : "Resume a paused worker: it starts its queued tasks again, highest priority first.")
        {
            name,
        };
        _context.Help.Add(command, pause ? """
            Examples:
              carrot workers pause files
            """ : """
            Examples:
              carrot workers resume files
            """);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var client = await _context.OpenClientAsync(parseResult, cancellationToken);
            var worker = pause
                ? await client.PauseWorkerAsync(parseResult.GetRequiredValue(name), cancellationToken)
                : await client.ResumeWorkerAsync(parseResult.GetRequiredValue(name), cancellationToken);
            _context.Out.WriteLine(pause
                ? $"Paused worker '{worker.Name}': running tasks finish, new ones wait in its queue. Resume with: carrot workers resume {worker.Name}"
                : $"Resumed worker '{worker.Name}'.");
            return ExitCodes.Ok;
        });
        return command;
    }
}

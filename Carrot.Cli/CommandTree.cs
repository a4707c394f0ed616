using System.CommandLine;
using System.CommandLine.Invocation;
using Carrot.Cli.Commands;
using Carrot.Cli.Output;

namespace Carrot.Cli;

/// <summary>
/// Builds the command tree and parses the arguments with it. A call builds only the commands its arguments name:
/// building the other eight cost every <c>carrot enqueue</c> ~10 ms of type loading and JIT, a tenth of the call.
/// </summary>
/// <remarks>
/// Every token that names a command builds it, so a value that happens to be one (<c>-c tasks enqueue</c>) cannot
/// hide the command that runs. Arguments that name none (<c>--help</c>, a typo, a response file, completion) get the
/// whole tree, and so does every parse error, so that its line (which may list the commands) reads as it always did.
/// </remarks>
internal static class CommandTree
{
    public static ParseResult Parse(string[] args, CliContext context, Option<string?> configOption)
    {
        var commands = Commands(context);
        var named = Array.FindAll(commands, c => Array.IndexOf(args, c.Name) >= 0);
        var result = Build(named.Length > 0 ? named : commands, context, configOption).Parse(args);
        return result.Action is ParseErrorAction && named.Length > 0
            ? Build(commands, context, configOption).Parse(args)
            : result;
    }

    private static (string Name, Func<Command> Create)[] Commands(CliContext context) =>
    [
        (EnqueueCommand.CommandName, () => new EnqueueCommand(context)),
        (WorkersCommand.CommandName, () => new WorkersCommand(context)),
        (TasksCommand.CommandName, () => new TasksCommand(context)),
        (SchedulesCommand.CommandName, () => new SchedulesCommand(context)),
        (KallablesCommand.CommandName, () => new KallablesCommand(context)),
        (StatusCommand.CommandName, () => new StatusCommand(context)),
        (DoctorCommand.CommandName, () => new DoctorCommand(context)),
        (DbCommand.CommandName, () => new DbCommand(context)),
        (MonitorCommand.CommandName, () => new MonitorCommand(context)),
    ];

    private static RootCommand Build((string Name, Func<Command> Create)[] commands, CliContext context, Option<string?> configOption)
    {
        var root = new RootCommand("Carrot: a background task queue. 'carrot' records tasks in SQLite or PostgreSQL and publishes them to RabbitMQ; the daemon 'carrotd' runs them.")
        {
            configOption,
        };
        foreach (var (_, create) in commands)
        {
            root.Subcommands.Add(create());
        }

        context.Help.Add(root, """
            Exit codes:
              0   done
              1   failed: a task under --wait, or the database or broker is unavailable
              2   bad usage: arguments, input or configuration
              75  saved, but RabbitMQ has not confirmed it yet (carrotd publishes it later)
              130 interrupted (Ctrl+C, SIGTERM)

            Examples:
              carrot workers add files --concurrency 4
              id=$(carrot enqueue MyLib.Jobs.Bark --args '["Rex"]')
              carrot tasks show "$id" --logs
              carrot status
            """);
        DetailedHelpAction.Install(root, context.Help);
        return root;
    }
}

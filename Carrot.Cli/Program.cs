using System.CommandLine;
using System.CommandLine.Invocation;
using Carrot.Cli;
using Carrot.Cli.Commands;
using Carrot.Cli.Output;

var errors = new ErrorWriter(Console.Error);
var configOption = new Option<string?>("--config", "-c")
{
    Description = "Configuration file (default: $CARROT_CONFIG, else /etc/carrot/carrot.json when present). CARROT_* variables override it.",
    HelpName = "PATH",
    Recursive = true,
};
var context = new CliContext(configOption, Console.Out, errors);

var root = new RootCommand("Carrot: a background task queue. 'carrot' records tasks in SQLite or PostgreSQL and publishes them to RabbitMQ; the daemon 'carrotd' runs them.")
{
    configOption,
    new EnqueueCommand(context),
    new WorkersCommand(context),
    new TasksCommand(context),
    new SchedulesCommand(context),
    new KallablesCommand(context),
    new StatusCommand(context),
    new DoctorCommand(context),
    new DbCommand(context),
    new MonitorCommand(context),
};
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

var parseResult = root.Parse(args);
if (parseResult.Action is ParseErrorAction)
{
    // System.CommandLine would print the errors plus the whole help text and exit 1; scripts get one line and 2.
    return errors.ReportUsage(parseResult);
}

try
{
    return await parseResult.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e)
{
    // The one place where exceptions become a message and an exit code.
    return errors.Report(e);
}

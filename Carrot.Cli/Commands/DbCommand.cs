using System.CommandLine;
using Carrot.Storage;

namespace Carrot.Cli.Commands;

/// <summary>
/// <c>carrot db migrate</c> applies the schema explicitly (so that producers and daemons can run as a database user
/// without DDL rights), <c>carrot db copy --to postgresql://…</c> moves a stopped SQLite store into an empty PostgreSQL one.
/// </summary>
internal sealed class DbCommand : Command
{
    /// <summary>The command's name, which <see cref="CommandTree"/> looks for among the arguments.</summary>
    public const string CommandName = "db";

    public DbCommand(CliContext context)
        : base(CommandName, "Apply the database schema, or copy an SQLite store into PostgreSQL.")
    {
        Subcommands.Add(Migrate(context));
        Subcommands.Add(Copy(context));
    }

    private static Command Migrate(CliContext context)
    {
        var command = new Command("migrate", "Create or upgrade the schema of the configured database, and say its version.");
        context.Help.Add(command, """
            Every carrot command and every carrotd start migrates on its own when it may; run this as the schema's owner
            when producers and daemons use a PostgreSQL user without CREATE rights, then grant them:
              GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO carrot_app;
              GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO carrot_app;

            Examples:
              CARROT_DATABASE=postgresql://owner:secret@db:5432/carrot carrot db migrate
            """);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = context.LoadOptions(parseResult);
            await using var engine = StoreEngine.Create(options);
            var before = await engine.SchemaVersionAsync(cancellationToken);
            var after = await engine.MigrateAsync(cancellationToken);
            await context.Out.WriteLineAsync(before == after
                ? $"{engine.Display}: schema version {after}, already current."
                : $"{engine.Display}: schema version {before?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"} -> {after}.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Copy(CliContext context)
    {
        var to = new Option<string>("--to") { Description = "The empty PostgreSQL store to fill: postgresql://USER:PASSWORD@HOST:PORT/DBNAME.", HelpName = "URI", Required = true };
        var command = new Command("copy", "Copy the configured SQLite database (stopped) into an empty PostgreSQL store: tasks with their ids, attempts and logs, workers, schedules.") { to };
        context.Help.Add(command, """
            Stop every carrotd first (it refuses while one heartbeats). The copy is one transaction on the target: all
            or nothing. A target that already holds tasks, schedules or workers is refused. Then point "database" at
            the URI in every carrot.json (producers and daemons) and start carrotd again; the SQLite file is left as it was.

            Examples:
              systemctl stop carrotd
              carrot db copy --to postgresql://carrot:secret@db:5432/carrot
            """);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = context.LoadOptions(parseResult);
            var report = await StoreCopy.CopyAsync(options, parseResult.GetValue(to)!, TimeSpan.FromSeconds(options.HeartbeatSeconds * 3), cancellationToken);
            var rows = report.Rows;
            await context.Out.WriteLineAsync(
                $"Copied {rows["tasks"]} task(s) ({rows["task_attempts"]} attempt(s), {rows["task_logs"]} log line(s)), {rows["workers"]} worker(s) and {rows["schedules"]} schedule(s) from {report.From} to {report.To} in {report.Elapsed.TotalSeconds:0.0} s.");
            await context.Out.WriteLineAsync($"Next: set \"database\" to {report.To} (with its password) in every carrot.json, then start carrotd.");
            return ExitCodes.Ok;
        });
        return command;
    }
}

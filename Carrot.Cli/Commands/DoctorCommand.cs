using System.CommandLine;
using Carrot.Cli.Output.Views;
using Carrot.Cli.Parsing;
using Carrot.Diagnostics;

namespace Carrot.Cli.Commands;

/// <summary>
/// <c>carrot doctor</c>: checks the configuration, the database, the broker and the task assemblies, one line
/// each, with how to fix what is not right. Exit 0 when nothing failed (warnings allowed), 1 otherwise.
/// </summary>
internal sealed class DoctorCommand : Command
{
    /// <summary>The command's name, which <see cref="CommandTree"/> looks for among the arguments.</summary>
    public const string CommandName = "doctor";

    private readonly CliContext _context;
    private readonly Option<bool> _json = CliOptions.Json();

    public DoctorCommand(CliContext context)
        : base(CommandName, "Check the configuration, database, broker and task assemblies, and say what to fix.")
    {
        _context = context;
        context.Help.Add(this, """
            Reads only: a missing database is reported, not created, and no queue is declared. Each line is ok, warn
            or fail; warn and fail lines are followed by how to fix them. The broker password is never printed.
            Run it as the user that runs carrotd to see what carrotd sees: sudo -u carrot carrot doctor.

            Exit codes: 0 nothing failed (warnings allowed), 1 at least one check failed.

            Examples:
              carrot doctor
              carrot doctor --json | jq '.checks[] | select(.level != "ok")'
            """);
        Options.Add(_json);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var checks = await new CarrotDoctor(() => _context.LoadOptions(parseResult)).RunAsync(cancellationToken);
        var failures = checks.Count(c => c.Level == DiagnosticLevel.Fail);
        var warnings = checks.Count(c => c.Level == DiagnosticLevel.Warn);
        if (parseResult.GetValue(_json))
        {
            var views = checks.Select(c => new DiagnosticView(c.Area, LevelName(c.Level), c.Message, c.Fix)).ToList();
            _context.Json.Write(new DoctorView(views, checks.Count - failures - warnings, warnings, failures));
        }
        else
        {
            foreach (var check in checks)
            {
                await _context.Out.WriteLineAsync($"{LevelName(check.Level),-5} {check.Area,-9} {check.Message}");
                if (check.Fix is not null)
                {
                    await _context.Out.WriteLineAsync($"{"",16}fix: {check.Fix}");
                }
            }

            await _context.Out.WriteLineAsync($"carrot doctor: {checks.Count - failures - warnings} ok, {warnings} warning(s), {failures} failure(s)");
        }

        return failures > 0 ? ExitCodes.Failure : ExitCodes.Ok;
    }

    private static string LevelName(DiagnosticLevel level) => level switch
    {
        DiagnosticLevel.Ok => "ok",
        DiagnosticLevel.Warn => "warn",
        _ => "fail",
    };
}

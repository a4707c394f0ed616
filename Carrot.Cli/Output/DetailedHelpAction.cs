using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Carrot.Cli.Output;

/// <summary>
/// The standard --help, followed by the command's registered sections (examples, exit codes). System.CommandLine
/// 2.0 keeps its HelpBuilder internal, so wrapping the action is the supported way to add sections.
/// </summary>
internal sealed class DetailedHelpAction(HelpAction standard, CommandHelp help) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        var exitCode = standard.Invoke(parseResult);
        if (help.TryGet(parseResult.CommandResult.Command, out var details))
        {
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine(details);
            output.WriteLine();
        }

        return exitCode;
    }

    /// <summary>Replaces the action of the root's (recursive) help option, so every subcommand's --help gets its sections.</summary>
    public static void Install(RootCommand root, CommandHelp help)
    {
        var option = root.Options.OfType<HelpOption>().Single();
        option.Action = new DetailedHelpAction((HelpAction)option.Action!, help);
    }
}

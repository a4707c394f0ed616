using System.CommandLine;
using System.CommandLine.Invocation;
using System.Text;
using Carrot.Cli;
using Carrot.Cli.Output;

// UTF-8, as .NET picks on any UTF-8 or unset locale, without working it out from LANG first: that lookup costs every
// call ~5 ms. A legacy 8-bit locale gets UTF-8 too, which is what JSON output must be anyway.
Console.OutputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
var errors = new ErrorWriter(Console.Error);
var configOption = new Option<string?>("--config", "-c")
{
    Description = "Configuration file (default: $CARROT_CONFIG, else /etc/carrot/carrot.json when present). CARROT_* variables override it.",
    HelpName = "PATH",
    Recursive = true,
};
var context = new CliContext(configOption, Console.Out, errors);

var parseResult = CommandTree.Parse(args, context, configOption);
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

using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using Carrot.Errors;

namespace Carrot.Cli.Output;

/// <summary>
/// Writes every problem as one line on stderr, <c>carrot: message</c>, and maps exceptions to exit codes.
/// Core's messages already say what is wrong and how to fix it, so they are shown as they are, without traces.
/// </summary>
internal sealed partial class ErrorWriter(TextWriter stderr)
{
    public void Write(string message)
    {
        var line = OneLine(message);

        // Some messages end without a full stop; one keeps the line reading as a sentence.
        stderr.WriteLine($"carrot: {(line.Length > 0 && char.IsLetterOrDigit(line[^1]) ? line + "." : line)}");
    }

    /// <summary>Parse errors (unknown options, missing arguments, bad option values) in one line, with where to read more.</summary>
    public int ReportUsage(ParseResult parseResult)
    {
        var path = CommandPath(parseResult.CommandResult);
        var command = parseResult.CommandResult.Command;
        string message;
        if (command.Action is null && command.Subcommands.Count > 0)
        {
            // A group such as 'carrot workers': the parser would report "required command" next to the real problem.
            var names = string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name));
            message = parseResult.UnmatchedTokens.Count > 0
                ? $"Unknown command or option '{parseResult.UnmatchedTokens[0]}' for '{path}'; commands: {names}."
                : $"'{path}' needs a command: {names}.";
        }
        else
        {
            message = string.Join(" ", parseResult.Errors.Select(e => e.Message.Trim()).Distinct().Select(m => m.EndsWith('.') ? m : m + "."));
        }

        Write($"{ShortenTokens(message, parseResult)} See '{path} --help'.");
        return ExitCodes.Usage;
    }

    public int Report(Exception exception)
    {
        switch (exception)
        {
            case CarrotInputException or CarrotConfigurationException:
                Write(exception.Message);
                return ExitCodes.Usage;
            case CarrotStoreException or BrokerUnavailableException or TimeoutException or Handoff.UncertainEnqueueException:
                Write(exception.Message);
                return ExitCodes.Failure;
            case OperationCanceledException:
                Write("Interrupted.");
                return ExitCodes.Interrupted;
            default:
                // A bug or a case nobody foresaw: the type says where to look; the trace would only bury it.
                Write($"unexpected {exception.GetType().FullName}: {exception.Message}");
                return ExitCodes.Failure;
        }
    }

    // The parser's own messages quote what was typed; a pasted megabyte must not come back whole.
    private static string ShortenTokens(string message, ParseResult parseResult)
    {
        foreach (var token in parseResult.Tokens.Select(t => t.Value).Concat(parseResult.UnmatchedTokens)
                     .Where(t => t.Length > InputEcho.MaxChars).Distinct().OrderByDescending(t => t.Length))
        {
            message = message.Replace(token, InputEcho.Shorten(token), StringComparison.Ordinal);
        }

        return message;
    }

    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? current = result; current is not null; current = current.Parent)
        {
            if (current is CommandResult command)
            {
                names.Add(command.Command is RootCommand ? "carrot" : command.Command.Name);
            }
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    // Multi-line messages (a task's exception, a library's error) are folded so each error stays one line,
    // and any "user:password@" that slipped into an unexpected message is hidden.
    private static string OneLine(string message) =>
        Credentials().Replace(LineBreaks().Replace(message.Trim(), " "), "${prefix}***@");

    [GeneratedRegex(@"\s*[\r\n]+\s*")]
    private static partial Regex LineBreaks();

    [GeneratedRegex(@"(?<prefix>[a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\s]*:)[^@\s]+@")]
    private static partial Regex Credentials();
}

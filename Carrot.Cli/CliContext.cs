using System.CommandLine;
using Carrot.Cli.Output;
using Carrot.Client;
using Carrot.Configuration;

namespace Carrot.Cli;

/// <summary>What every command shares: where the configuration comes from and where output goes.</summary>
internal sealed class CliContext(Option<string?> configOption, TextWriter stdout, ErrorWriter errors, TextReader? stdin = null)
{
    /// <summary>Standard input, for <c>enqueue --batch -</c>; opened on first use (the console's reader is not free).</summary>
    public TextReader In => stdin ?? Console.In;

    public TextWriter Out { get; } = stdout;

    public ErrorWriter Errors { get; } = errors;

    private readonly Lazy<JsonWriter> _json = new(() => new JsonWriter(stdout));

    /// <summary>Created on first use: building the JSON metadata costs every command a few milliseconds otherwise.</summary>
    public JsonWriter Json => _json.Value;

    /// <summary>Examples and notes that --help prints after the standard sections.</summary>
    public CommandHelp Help { get; } = new();

    /// <summary>Loads the options (file, then CARROT_* variables). Separate from the client for commands that need no database.</summary>
    public CarrotOptions LoadOptions(ParseResult parseResult) => CarrotConfiguration.Load(parseResult.GetValue(configOption));

    /// <summary>Opens (creating or migrating) the database. The broker is only contacted when a command publishes or asks for depths.</summary>
    public async Task<CarrotClient> OpenClientAsync(ParseResult parseResult, CancellationToken cancellationToken) =>
        await CarrotClient.CreateAsync(LoadOptions(parseResult), cancellationToken);

    /// <summary>Created on demand: JSON output and one-line commands never pay for Spectre's console detection.</summary>
    public TableWriter CreateTables() => new(Out);
}

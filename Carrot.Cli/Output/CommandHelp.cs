using System.CommandLine;

namespace Carrot.Cli.Output;

/// <summary>
/// Extra help sections (notes, exit codes, examples) per command. They are kept out of Description because
/// System.CommandLine also prints Description in the parent's command list, where only one line belongs.
/// </summary>
internal sealed class CommandHelp
{
    private readonly Dictionary<Command, string> _details = [];

    /// <summary>Registers text printed after the standard help of <paramref name="command"/>.</summary>
    public void Add(Command command, string details) => _details[command] = details.TrimEnd();

    public bool TryGet(Command command, out string details) => _details.TryGetValue(command, out details!);
}

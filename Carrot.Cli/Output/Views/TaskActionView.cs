namespace Carrot.Cli.Output.Views;

/// <summary><c>tasks cancel|retry|purge --json</c>: which tasks the action touched and the state it left them in.</summary>
internal sealed record TaskActionView(string Action, long Count, IReadOnlyList<long> TaskIds, string? State);

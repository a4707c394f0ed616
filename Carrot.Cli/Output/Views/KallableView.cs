namespace Carrot.Cli.Output.Views;

/// <summary>A kallable in <c>kallables list --json</c>: its name, the signature it binds against, and its assembly.</summary>
internal sealed record KallableView(string Name, string Signature, string Assembly);

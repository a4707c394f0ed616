namespace Carrot.Cli.Output.Views;

/// <summary>One check in <c>doctor --json</c>; <c>level</c> is ok, warn or fail, and <c>fix</c> is null when it is ok.</summary>
internal sealed record DiagnosticView(string Area, string Level, string Message, string? Fix);

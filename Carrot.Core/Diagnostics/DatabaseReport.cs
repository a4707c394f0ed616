namespace Carrot.Diagnostics;

/// <summary>The database checks, and the worker names read on the way (null when the database could not be read), for the broker checks.</summary>
internal sealed record DatabaseReport(IReadOnlyList<DiagnosticCheck> Checks, IReadOnlyList<string>? Workers);

namespace Carrot.Diagnostics;

/// <summary>One finding: what was checked (area), how it went, what was seen, and — unless it is fine — how to fix it.</summary>
public sealed record DiagnosticCheck(string Area, DiagnosticLevel Level, string Message, string? Fix = null)
{
    public static DiagnosticCheck Ok(string area, string message) => new(area, DiagnosticLevel.Ok, message);

    public static DiagnosticCheck Warn(string area, string message, string fix) => new(area, DiagnosticLevel.Warn, message, fix);

    public static DiagnosticCheck Fail(string area, string message, string fix) => new(area, DiagnosticLevel.Fail, message, fix);
}

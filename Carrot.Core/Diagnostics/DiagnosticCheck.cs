namespace Carrot.Diagnostics;

/// <summary>One finding: what was checked (area), how it went, what was seen, and — unless it is fine — how to fix it.</summary>
/// <param name="Area">What was checked: <c>config</c>, <c>database</c>, <c>daemons</c>, <c>broker</c>, <c>tasks</c>.</param>
/// <param name="Level">How it went.</param>
/// <param name="Message">What was seen; never the broker password.</param>
/// <param name="Fix">How to fix it; null when it is fine.</param>
public sealed record DiagnosticCheck(string Area, DiagnosticLevel Level, string Message, string? Fix = null)
{
    /// <summary>A check that passed.</summary>
    public static DiagnosticCheck Ok(string area, string message) => new(area, DiagnosticLevel.Ok, message);

    /// <summary>Something to look at, with how to fix it; the doctor still exits 0.</summary>
    public static DiagnosticCheck Warn(string area, string message, string fix) => new(area, DiagnosticLevel.Warn, message, fix);

    /// <summary>A check that failed, with how to fix it; the doctor exits 1.</summary>
    public static DiagnosticCheck Fail(string area, string message, string fix) => new(area, DiagnosticLevel.Fail, message, fix);
}

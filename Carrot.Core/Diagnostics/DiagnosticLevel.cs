namespace Carrot.Diagnostics;

/// <summary>How a check of <c>carrot doctor</c> ended. Only <see cref="Fail"/> makes the doctor exit non-zero.</summary>
public enum DiagnosticLevel
{
    Ok,
    Warn,
    Fail,
}

namespace Carrot.Diagnostics;

/// <summary>How a check of <c>carrot doctor</c> ended. Only <see cref="Fail"/> makes the doctor exit non-zero.</summary>
public enum DiagnosticLevel
{
    /// <summary>Fine.</summary>
    Ok,
    /// <summary>Worth a look; not an error.</summary>
    Warn,
    /// <summary>Broken: Carrot cannot work until it is fixed.</summary>
    Fail,
}

namespace Carrot.Cli.Output.Views;

/// <summary><c>doctor --json</c>: every check, and how many ended each way.</summary>
internal sealed record DoctorView(IReadOnlyList<DiagnosticView> Checks, int Ok, int Warnings, int Failures);

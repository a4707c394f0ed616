namespace Carrot.Kallables;

/// <summary>What running a bound call gave: its result as JSON (and why it could not be stored whole), or the exception it threw.</summary>
internal sealed record KallableOutcome(string? Json, string? Problem, Exception? Error);

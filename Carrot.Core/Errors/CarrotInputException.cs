namespace Carrot.Errors;

/// <summary>
/// The caller asked for something that cannot be done as asked (bad JSON, unknown worker or kallable,
/// arguments that do not bind). Nothing was written. The CLI exits 2 on it.
/// </summary>
public sealed class CarrotInputException(string message) : Exception(message);

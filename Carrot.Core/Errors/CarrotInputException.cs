namespace Carrot.Errors;

/// <summary>
/// The caller asked for something that cannot be done as asked (bad JSON, unknown worker or kallable,
/// arguments that do not bind). Nothing was written. The CLI exits 2 on it.
/// </summary>
public sealed class CarrotInputException(string message) : Exception(message)
{
    /// <summary>For a bulk enqueue: the request at <paramref name="index"/> is bad (nothing of the batch was written).</summary>
    public CarrotInputException(int index, string reason)
        : this($"Request {index}: {reason}")
    {
        BatchIndex = index;
        Reason = reason;
    }

    /// <summary>The zero-based position of the bad request in a bulk enqueue; null for a single request.</summary>
    public int? BatchIndex { get; }

    /// <summary>What is wrong with the request, without its position; the message itself for a single request.</summary>
    public string Reason { get; } = message;
}

namespace Carrot.Errors;

/// <summary>The database could not be opened, written or read (missing folder, permissions, locked past the busy timeout).</summary>
public sealed class CarrotStoreException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>
    /// The database as a whole could not take the write now (locked, read-only, disk full, I/O error): the same write
    /// may succeed later. False when the write itself can never succeed (a constraint, for instance).
    /// </summary>
    public bool IsTransient { get; init; }
}

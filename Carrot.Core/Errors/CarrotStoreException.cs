namespace Carrot.Errors;

/// <summary>The database could not be opened, written or read (missing folder, permissions, locked past the busy timeout).</summary>
public sealed class CarrotStoreException(string message, Exception? inner = null) : Exception(message, inner);

namespace Carrot.Handoff;

/// <summary>The error classes a producer tells apart (bad input, bad configuration, the database, the broker); the caller rethrows the same class.</summary>
internal enum HandoffFailureKind
{
    Input,
    Configuration,
    Store,
    Broker,
    Timeout,
    Unexpected,
}

namespace Carrot.Daemon.Consuming;

/// <summary>What to tell the broker about a delivery, decided only after the outcome is committed.</summary>
internal enum AckDecision
{
    /// <summary>Done with: the outcome is recorded, or there was nothing to run (duplicate, unknown id).</summary>
    Ack,

    /// <summary>Not a Carrot message at all: dead-letter it, never retry.</summary>
    DeadLetter,

    /// <summary>Handed back (shutdown): the broker delivers it again, to this daemon's successor or another.</summary>
    Requeue,
}

namespace Carrot.Daemon.Consuming;

/// <summary>What to tell the broker about a delivery, decided once its claim is committed (or there was nothing to claim).</summary>
internal enum AckDecision
{
    /// <summary>Done with: the task is claimed and the database holds it from here on, or there was nothing to run (duplicate, unknown id).</summary>
    Ack,

    /// <summary>Not a Carrot message for this queue at all: dead-letter it, never retry.</summary>
    DeadLetter,

    /// <summary>Not taken (shutdown before the claim): the broker delivers it again, to this daemon's successor or another.</summary>
    Requeue,
}

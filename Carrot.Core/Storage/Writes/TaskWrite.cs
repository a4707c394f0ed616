namespace Carrot.Storage.Writes;

/// <summary>
/// A write about one task's run that a <see cref="TaskWriteSession"/> groups with others in one transaction: a claim,
/// an outcome or a hand-back. Each adds all its statements to the batch's one round (<see cref="Add"/>), so that a
/// whole batch costs one round trip on PostgreSQL whatever its size; what a write depends on is checked by the
/// database in the same round (<see cref="AttemptWrite{T}"/>).
/// </summary>
internal abstract class TaskWrite
{
    /// <summary>The worker a claim takes a slot of; null for the other writes. Claims go after every other write of their batch.</summary>
    public virtual string? ClaimsFor => null;

    /// <summary>
    /// The running task whose row the write locks first (its fence); null for a claim, which skips locked rows. A batch
    /// takes these rows in id order, as every other write that locks several does (<see cref="TaskSql.InIdOrder"/>).
    /// </summary>
    public virtual long? LocksTask => null;

    public abstract void Add(StatementRound round, long now);

    /// <summary>Once its transaction committed: false when the write found its assumption wrong, applied nothing, and must go again.</summary>
    public virtual bool Settle() => true;

    /// <summary>Forgets a result, before the write is tried again after a rollback.</summary>
    public abstract void Reset();
}

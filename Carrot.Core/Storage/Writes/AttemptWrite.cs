namespace Carrot.Storage.Writes;

/// <summary>
/// A write about a running attempt (an outcome or a hand-back), sent in one round with its fence: decided as if the
/// cancel flag were as last seen — not asked for, at first, as nearly always — and applied by the database only if it
/// is (<see cref="TaskSql.Fence"/>). When the fence shows a cancel asked for while the task ran, nothing was applied,
/// and the write goes again knowing it; the flag is only ever set on a running attempt, so at most once.
/// </summary>
internal abstract class AttemptWrite<T>(ClaimedTask claim, IReadOnlyList<TaskLogEntry> logs) : TaskWrite<T>
{
    private bool _assumeCancel;
    private bool? _seen;
    private bool _logsKept;

    protected ClaimedTask Claim => claim;

    public override long? LocksTask => claim.Id;

    /// <summary>The result when the lease was lost and nothing changed.</summary>
    protected abstract T LeaseLost { get; }

    public override void Add(StatementRound round, long now)
    {
        _seen = null;
        // The fence first: it locks the row, as the live log writer does before numbering lines (PostgreSQL).
        AttemptStatements.Fence(round, claim, seen => _seen = seen);

        // The lines are kept even from an executor that lost its lease: they tell what that run did.
        if (!_logsKept)
        {
            AttemptStatements.Logs(round, claim, logs);
        }

        AddWrites(round, _assumeCancel, now);
    }

    public override bool Settle()
    {
        _logsKept = true;
        if (_seen is not { } seen)
        {
            Result = LeaseLost;
            return true;
        }

        if (seen == _assumeCancel)
        {
            return true;
        }

        _assumeCancel = seen;
        return false;
    }

    /// <summary>The writes as decided if a cancel was (or was not) asked for, setting <see cref="TaskWrite{T}.Result"/> to match.</summary>
    protected abstract void AddWrites(StatementRound round, bool cancelRequested, long now);
}

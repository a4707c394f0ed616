namespace Carrot.Storage.Writes;

/// <summary>
/// Records how an attempt ended, with its log lines and its history row (<see cref="TaskSql.KeepsAttemptRow"/>).
/// <paramref name="decide"/> turns the row's cancel flag into the outcome (<see cref="Lifecycle.AttemptOutcomes"/>).
/// Fenced by owner and attempt: the result is null when the lease was lost and nothing changed, else the outcome
/// recorded.
/// </summary>
internal sealed class CompleteWrite(ClaimedTask claim, Func<bool, TaskOutcome> decide, IReadOnlyList<TaskLogEntry> logs) : AttemptWrite<TaskOutcome?>(claim, logs)
{
    protected override TaskOutcome? LeaseLost => null;

    protected override void AddWrites(StatementRound round, bool cancelRequested, long now)
    {
        var outcome = decide(cancelRequested);
        AttemptStatements.Outcome(round, Claim, outcome, cancelRequested, now);
        Result = outcome;
    }
}

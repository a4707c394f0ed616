using System.Data;

namespace Carrot.Storage.Writes;

/// <summary>
/// Hands a task back (shutdown, or a task that must wait to run alone) with the log lines of its interrupted run, the
/// attempt not counted; <paramref name="republish"/> when its message is gone, so the relay sends it again. A task
/// someone asked to cancel is not handed back: it ends cancelled, since it must not start again.
/// </summary>
internal sealed class ReleaseWrite(ClaimedTask claim, IReadOnlyList<TaskLogEntry> logs, bool republish) : AttemptWrite<HandBack>(claim, logs)
{
    protected override HandBack LeaseLost => HandBack.LeaseLost;

    protected override void AddWrites(StatementRound round, bool cancelRequested, long now)
    {
        if (cancelRequested)
        {
            AttemptStatements.Outcome(round, Claim, Lifecycle.AttemptOutcomes.CancelledAtHandBack(), cancelRequested, now);
            Result = HandBack.Cancelled;
            return;
        }

        round.Add(TaskSql.Release,
            ("@Republish", DbType.Boolean, republish), ("@Id", DbType.Int64, Claim.Id), ("@LeaseOwner", DbType.String, Claim.LeaseOwner), ("@Attempt", DbType.Int64, Claim.Attempt));
        Result = HandBack.Queued;
    }
}

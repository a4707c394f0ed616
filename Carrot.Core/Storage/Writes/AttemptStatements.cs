using System.Data;
using System.Globalization;
using Carrot.Tasks;

namespace Carrot.Storage.Writes;

/// <summary>The statements every write about a running attempt is made of (SQL text in <see cref="TaskSql"/>).</summary>
internal static class AttemptStatements
{
    /// <summary>The fence: <paramref name="seen"/> gets whether a cancel was asked for, or null when the lease was lost.</summary>
    public static void Fence(StatementRound round, ClaimedTask claim, Action<bool?> seen) =>
        round.Add(TaskSql.Fence(round.Sql), async reader =>
            {
                var value = await reader.ReadAsync() ? reader.GetValue(0) : null;
                seen(value is null or DBNull ? null : Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0);
            },
            ("@Id", DbType.Int64, claim.Id), ("@LeaseOwner", DbType.String, claim.LeaseOwner), ("@Attempt", DbType.Int64, claim.Attempt));

    /// <summary>The attempt's log lines, numbered after any already kept for it (a handed-back run and the next share a number).</summary>
    public static void Logs(StatementRound round, ClaimedTask claim, IReadOnlyList<TaskLogEntry> logs)
    {
        foreach (var line in logs)
        {
            round.Add(TaskSql.InsertLog,
                ("@TaskId", DbType.Int64, claim.Id), ("@Attempt", DbType.Int64, claim.Attempt), ("@At", DbType.Int64, UnixTime.ToMs(line.At)),
                ("@Level", DbType.String, line.Level.ToString()), ("@Message", DbType.String, line.Message),
                ("@TraceId", DbType.String, line.Trace.TraceId), ("@SpanId", DbType.String, line.Trace.SpanId));
        }
    }

    /// <summary>
    /// Writes what <see cref="Lifecycle.AttemptOutcomes"/> decided, with the history row when one is kept; applied only if
    /// the cancel flag is as <paramref name="cancelRequested"/> says (<see cref="AttemptWrite{T}"/>).
    /// </summary>
    public static void Outcome(StatementRound round, ClaimedTask claim, TaskOutcome outcome, bool cancelRequested, long now)
    {
        if (TaskSql.KeepsAttemptRow(claim, outcome))
        {
            round.Add(TaskSql.RecordAttempt,
                ("@now", DbType.Int64, now), ("@AttemptState", DbType.String, outcome.State.ToName()), ("@ErrorType", DbType.String, outcome.ErrorType),
                ("@ErrorMessage", DbType.String, outcome.ErrorMessage), ("@StackTrace", DbType.String, outcome.StackTrace),
                ("@Id", DbType.Int64, claim.Id), ("@LeaseOwner", DbType.String, claim.LeaseOwner), ("@Attempt", DbType.Int64, claim.Attempt),
                ("@CancelRequested", DbType.Boolean, cancelRequested));
        }

        var state = outcome.RetryAt is null ? outcome.State.ToName() : "scheduled";
        var runAt = outcome.RetryAt is { } at ? UnixTime.ToMs(at) : (long?)null;
        round.Add(TaskSql.Complete,
            ("@State", DbType.String, state), ("@now", DbType.Int64, now), ("@RunAt", DbType.Int64, runAt), ("@MaxAttempts", DbType.Int64, outcome.MaxAttempts),
            ("@Result", DbType.String, outcome.Result), ("@ErrorType", DbType.String, outcome.ErrorType), ("@ErrorMessage", DbType.String, outcome.ErrorMessage),
            ("@StackTrace", DbType.String, outcome.StackTrace), ("@RunawayOwner", DbType.String, outcome.RunawayOwner),
            ("@Id", DbType.Int64, claim.Id), ("@LeaseOwner", DbType.String, claim.LeaseOwner), ("@Attempt", DbType.Int64, claim.Attempt),
            ("@CancelRequested", DbType.Boolean, cancelRequested));
    }
}

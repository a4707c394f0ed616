using Carrot.Storage;
using Carrot.Tasks;

namespace Carrot.Lifecycle;

/// <summary>
/// The one place that decides what an attempt's end means for the task: succeeded, failed, cancelled, or failed with
/// a retry due. A pure function: the store calls it inside the transaction that records the outcome, with the
/// cancel flag read there, so a cancel request that arrives while the outcome commits still wins.
/// </summary>
internal static class AttemptOutcomes
{
    public const string TimeoutType = "Carrot.Timeout";
    public const string CancelledType = "Carrot.Cancelled";
    public const string InvalidTaskType = "Carrot.InvalidTask";
    public const string InternalErrorType = "Carrot.InternalError";

    /// <param name="end">How the code ended.</param>
    /// <param name="claim">The claim the attempt ran under (attempt number, retry settings).</param>
    /// <param name="cancelRequested">Someone asked to cancel the task (its token fired, or the row says so).</param>
    /// <param name="settings">The configuration's share of the rules.</param>
    /// <param name="retryAt">When a retry would be due, should there be one.</param>
    public static TaskOutcome Decide(AttemptEnd end, ClaimedTask claim, bool cancelRequested, OutcomeSettings settings, DateTimeOffset retryAt)
    {
        var message = TextLimit.TruncateOrNull(end.ErrorMessage, settings.MaxErrorChars);
        var stack = TextLimit.TruncateOrNull(end.StackTrace, settings.MaxErrorChars);
        var maxAttempts = RetryBudget.MaxAttempts(claim.AttemptBase, claim.MaxRetries, end.KallableRetries, settings.ConfiguredMaxAttempts);
        var correction = maxAttempts == claim.MaxAttempts ? (int?)null : maxAttempts;

        // It finished: a cancel or a timeout that came too late to matter does not undo that.
        if (end.Kind == AttemptEndKind.Succeeded)
        {
            return new TaskOutcome(TaskState.Succeeded, Result: end.Result) { MaxAttempts = correction };
        }

        if (end.Kind == AttemptEndKind.RunawayAfterTimeout)
        {
            return new TaskOutcome(TaskState.Failed, ErrorType: TimeoutType, ErrorMessage: message) { MaxAttempts = correction, RunawayOwner = claim.LeaseOwner };
        }

        if (end.Kind == AttemptEndKind.RunawayAfterCancel)
        {
            return new TaskOutcome(TaskState.Cancelled, ErrorType: CancelledType, ErrorMessage: message) { MaxAttempts = correction, RunawayOwner = claim.LeaseOwner };
        }

        if (cancelRequested || end.Kind == AttemptEndKind.Cancelled)
        {
            var why = end.Kind == AttemptEndKind.Cancelled
                ? message
                : TextLimit.Truncate($"Cancelled while running; the task stopped with {end.ErrorType}: {end.ErrorMessage}", settings.MaxErrorChars);
            return new TaskOutcome(TaskState.Cancelled, ErrorType: CancelledType, ErrorMessage: why, StackTrace: stack) { MaxAttempts = correction };
        }

        var failed = new TaskOutcome(TaskState.Failed, ErrorType: end.ErrorType ?? InternalErrorType, ErrorMessage: message, StackTrace: stack) { MaxAttempts = correction };
        var retryable = (end.Kind is AttemptEndKind.Threw or AttemptEndKind.TimedOut or AttemptEndKind.Broken) && !end.DoNotRetry;
        return retryable && claim.Attempt < maxAttempts ? failed with { RetryAt = retryAt } : failed;
    }

    /// <summary>A task handed back (shutdown) after someone asked to cancel it: it ends here and never starts again.</summary>
    public static TaskOutcome CancelledAtHandBack() =>
        new(TaskState.Cancelled, ErrorType: CancelledType, ErrorMessage: "Cancelled while running; its daemon was stopping, so the task ended here instead of being handed back.");
}

using System.Diagnostics;
using Carrot.Lifecycle;
using Carrot.Storage;
using Carrot.Tasks;

namespace Carrot.Diagnostics.Telemetry;

/// <summary>What the daemon reports about one attempt: its process span and its metrics, in one place.</summary>
internal static class AttemptTelemetry
{
    /// <summary>At the start of the attempt's code: counts it, records its queue wait and starts its span (current while the code runs).</summary>
    public static Activity? Start(ClaimedTask claim)
    {
        var tags = CarrotMetrics.TaskTags(claim.Kallable, claim.Worker);
        CarrotMetrics.Started.Add(1, tags);
        if (claim.Attempt - claim.AttemptBase <= 1)
        {
            // Only a first attempt waited in the queue in the usual sense; a retry's wait is its backoff.
            CarrotMetrics.QueueWait.Record(claim.QueueWait.TotalSeconds, tags);
        }

        return TaskTracing.StartProcess(claim.Id, claim.Kallable, claim.Worker, claim.Attempt, claim.TraceParent);
    }

    /// <summary>When the attempt's code is done: ends its span, an error unless it succeeded. A null end is a shutdown's hand-back.</summary>
    public static void End(Activity? activity, AttemptEnd? end)
    {
        if (end is null)
        {
            TaskTracing.EndProcess(activity, "handed_back", errorType: null, errorMessage: null, stackTrace: null);
        }
        else if (end.Kind == AttemptEndKind.Succeeded)
        {
            TaskTracing.EndProcess(activity, "succeeded", errorType: null, errorMessage: null, stackTrace: null);
        }
        else
        {
            if (end.Kind is AttemptEndKind.RunawayAfterTimeout or AttemptEndKind.RunawayAfterCancel)
            {
                CarrotMetrics.Runaways.Add(1);
            }

            TaskTracing.EndProcess(activity, OutcomeName(end.Kind), end.ErrorType ?? end.Kind.ToString(), end.ErrorMessage, end.StackTrace);
        }
    }

    /// <summary>Once the outcome is recorded: the finished counter by outcome, the duration histogram, the retries.</summary>
    public static void Recorded(ClaimedTask claim, TaskOutcome outcome, TimeSpan elapsed)
    {
        var outcomeName = outcome.RetryAt is null ? outcome.State.ToName() : "retry";
        var tags = CarrotMetrics.TaskTags(claim.Kallable, claim.Worker);
        tags.Add(MessagingAttributes.Outcome, outcomeName);
        CarrotMetrics.Finished.Add(1, tags);
        CarrotMetrics.Duration.Record(elapsed.TotalSeconds, tags);
        if (outcome.RetryAt is not null)
        {
            CarrotMetrics.Retries.Add(1, CarrotMetrics.TaskTags(claim.Kallable, claim.Worker));
        }
    }

    private static string OutcomeName(AttemptEndKind kind) => kind switch
    {
        AttemptEndKind.TimedOut => "timed_out",
        AttemptEndKind.Cancelled => "cancelled",
        AttemptEndKind.RunawayAfterTimeout or AttemptEndKind.RunawayAfterCancel => "runaway",
        AttemptEndKind.Invalid => "invalid",
        AttemptEndKind.Broken => "broken",
        _ => "failed",
    };
}

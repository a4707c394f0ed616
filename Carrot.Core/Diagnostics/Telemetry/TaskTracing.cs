using System.Diagnostics;

namespace Carrot.Diagnostics.Telemetry;

/// <summary>
/// The spans of a task's life, per OpenTelemetry's messaging conventions: a producer span "send {worker}" around an
/// enqueue, and a consumer span "process {worker}" around each attempt. Every attempt is a child of the context stored
/// with the task (its producer span, or whatever trace was current when it was enqueued), so a delayed, retried or
/// rescued run stays in the producer's trace; a task with none (fired by a schedule) starts a trace of its own.
/// </summary>
internal static class TaskTracing
{
    /// <summary>
    /// Starts the producer span, under <paramref name="requestedParent"/> when one was given (a script's TRACEPARENT),
    /// else under the current activity. Null when no one listens.
    /// </summary>
    public static Activity? StartSend(string worker, string? requestedParent, int batchCount = 1)
    {
        // default: the current activity is the parent (the app's HTTP request span, say).
        var parent = TraceParent.TryParse(requestedParent, out var given) ? given : default;
        var activity = CarrotTelemetry.Source.StartActivity($"send {worker}", ActivityKind.Producer, parent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(MessagingAttributes.System, MessagingAttributes.SystemValue);
            activity.SetTag(MessagingAttributes.OperationType, "send");
            activity.SetTag(MessagingAttributes.OperationName, "send");
            activity.SetTag(MessagingAttributes.DestinationName, worker);
            activity.SetTag(MessagingAttributes.RoutingKey, worker);
            activity.SetTag(MessagingAttributes.Worker, worker);
            if (batchCount > 1)
            {
                activity.SetTag(MessagingAttributes.BatchCount, batchCount);
            }
        }

        return activity;
    }

    /// <summary>
    /// The context stored with the task: the producer span when it was recorded, else the caller's own traceparent,
    /// else the current activity's; null when there is no trace at all.
    /// </summary>
    public static string? ContextToStore(Activity? send, string? requestedParent) =>
        TraceParent.Of(send) ?? (TraceParent.IsValid(requestedParent) ? requestedParent!.Trim() : TraceParent.Of(Activity.Current));

    public static void TagTask(Activity? send, long taskId, string kallable)
    {
        if (send is { IsAllDataRequested: true })
        {
            var id = taskId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            send.SetTag(MessagingAttributes.TaskId, id);
            send.SetTag(MessagingAttributes.MessageId, id);
            send.SetTag(MessagingAttributes.Kallable, kallable);
        }
    }

    /// <summary>Starts the consumer span of one attempt, a child of the task's stored context. Null when no one listens.</summary>
    public static Activity? StartProcess(long taskId, string kallable, string worker, int attempt, string? storedParent)
    {
        // default: no stored context, so a trace of its own (a schedule's task); the daemon has no current activity here.
        var parent = TraceParent.TryParse(storedParent, out var stored) ? stored : default;
        var activity = CarrotTelemetry.Source.StartActivity($"process {worker}", ActivityKind.Consumer, parent);
        if (activity is { IsAllDataRequested: true })
        {
            var id = taskId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            activity.SetTag(MessagingAttributes.System, MessagingAttributes.SystemValue);
            activity.SetTag(MessagingAttributes.OperationType, "process");
            activity.SetTag(MessagingAttributes.OperationName, "process");
            activity.SetTag(MessagingAttributes.DestinationName, worker);
            activity.SetTag(MessagingAttributes.RoutingKey, worker);
            activity.SetTag(MessagingAttributes.MessageId, id);
            activity.SetTag(MessagingAttributes.TaskId, id);
            activity.SetTag(MessagingAttributes.Kallable, kallable);
            activity.SetTag(MessagingAttributes.Worker, worker);
            activity.SetTag(MessagingAttributes.Attempt, attempt);
        }

        return activity;
    }

    /// <summary>Ends an attempt's span: error status and an exception event when the attempt did not succeed.</summary>
    public static void EndProcess(Activity? activity, string outcome, string? errorType, string? errorMessage, string? stackTrace)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag(MessagingAttributes.Outcome, outcome);
        if (errorType is not null)
        {
            activity.SetTag(MessagingAttributes.ErrorType, errorType);
            activity.SetStatus(ActivityStatusCode.Error, errorMessage);
            // The exception event as OpenTelemetry's exception conventions name it; the attempt's error is text by now.
            activity.AddEvent(new ActivityEvent("exception", tags: new ActivityTagsCollection
            {
                { "exception.type", errorType },
                { "exception.message", errorMessage },
                { "exception.stacktrace", stackTrace },
            }));
        }

        activity.Stop();
    }
}

using Carrot.Lifecycle;

namespace Carrot.Daemon.Execution;

/// <summary>
/// The one rule, for both hosts, for what the code's own end means before retries are weighed: a result, a cancel
/// (someone asked), a timeout (its timer fired), a throw, or nothing when the daemon's shutdown interrupted it.
/// </summary>
internal static class CodeEnds
{
    public static AttemptEnd? Map(string? json, CodeError? error, TaskSignals signals, bool timedOut, TimeSpan? timeout)
    {
        if (error is null)
        {
            return AttemptEnd.Succeeded(json);
        }

        if (signals.CancelRequested.IsCancellationRequested)
        {
            return new AttemptEnd(AttemptEndKind.Cancelled, ErrorType: AttemptOutcomes.CancelledType,
                ErrorMessage: $"Cancelled while running; the task stopped with {ShortName(error.Type)}: {error.Message}", StackTrace: error.StackTrace);
        }

        if (timedOut)
        {
            return new AttemptEnd(AttemptEndKind.TimedOut, ErrorType: AttemptOutcomes.TimeoutType,
                ErrorMessage: $"The task timed out after {Seconds(timeout)} (it stopped with {ShortName(error.Type)}: {error.Message}).", StackTrace: error.StackTrace);
        }

        return error.IsCancellation && signals.Shutdown.IsCancellationRequested
            ? null
            : new AttemptEnd(AttemptEndKind.Threw, ErrorType: error.Type, ErrorMessage: error.Message, StackTrace: error.StackTrace) { DoNotRetry = error.DoNotRetry };
    }

    public static string Seconds(TimeSpan? span) => span is { } s ? $"{s.TotalSeconds:0.###} s" : "its time limit";

    private static string ShortName(string fullName) => fullName[(fullName.LastIndexOf('.') + 1)..];
}

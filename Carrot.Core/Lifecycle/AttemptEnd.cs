namespace Carrot.Lifecycle;

/// <summary>
/// What one attempt produced: how it ended, its result or error, and what the kallable says about retries. The
/// executor reports it; <see cref="AttemptOutcomes.Decide"/> alone turns it into the state that is recorded.
/// </summary>
internal sealed record AttemptEnd(AttemptEndKind Kind, string? Result = null, string? ErrorType = null, string? ErrorMessage = null, string? StackTrace = null)
{
    /// <summary>The task threw <c>DoNotRetryException</c>.</summary>
    public bool DoNotRetry { get; init; }

    /// <summary>The kallable's own <c>[CarrotTask(MaxRetries)]</c>, when it was resolved and sets one.</summary>
    public int? KallableRetries { get; init; }

    public static AttemptEnd Succeeded(string? result) => new(AttemptEndKind.Succeeded, Result: result);

    public static AttemptEnd Threw(Exception error) =>
        new(AttemptEndKind.Threw, ErrorType: error.GetType().FullName ?? error.GetType().Name, ErrorMessage: error.Message, StackTrace: error.ToString())
        {
            DoNotRetry = error is Tasks.DoNotRetryException,
        };

    public static AttemptEnd Invalid(string message) => new(AttemptEndKind.Invalid, ErrorType: AttemptOutcomes.InvalidTaskType, ErrorMessage: message);

    public static AttemptEnd Broken(Exception error) =>
        new(AttemptEndKind.Broken, ErrorType: AttemptOutcomes.InternalErrorType,
            ErrorMessage: $"Carrot failed while running the task ({error.GetType().Name}: {error.Message}); the task's code may not have run.",
            StackTrace: error.ToString());
}

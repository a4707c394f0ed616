using Carrot.Tasks;

namespace Carrot.Storage;

/// <summary>
/// How an attempt ended, as recorded. A failure with <see cref="RetryAt"/> set goes back to scheduled, due then;
/// <see cref="MaxAttempts"/>, when set, corrects the row's limit (the kallable's attribute decided it).
/// </summary>
internal sealed record TaskOutcome(TaskState State, string? Result = null, string? ErrorType = null, string? ErrorMessage = null, string? StackTrace = null)
{
    public DateTimeOffset? RetryAt { get; init; }

    public int? MaxAttempts { get; init; }

    /// <summary>Set for a runaway: the daemon whose process may still run the task's code, so no copy starts beside it.</summary>
    public string? RunawayOwner { get; init; }

    public static TaskOutcome Succeeded(string? result) => new(TaskState.Succeeded, Result: result);

    public static TaskOutcome Failed(string errorType, string errorMessage, string? stackTrace = null) =>
        new(TaskState.Failed, ErrorType: errorType, ErrorMessage: errorMessage, StackTrace: stackTrace);
}

using Carrot.Tasks;

namespace Carrot.Storage;

/// <summary>How one attempt ended, ready to be written once.</summary>
internal sealed record TaskOutcome(TaskState State, string? Result = null, string? ErrorType = null, string? ErrorMessage = null, string? StackTrace = null)
{
    public static TaskOutcome Succeeded(string? result) => new(TaskState.Succeeded, Result: result);

    public static TaskOutcome Failed(string errorType, string errorMessage, string? stackTrace = null) =>
        new(TaskState.Failed, ErrorType: errorType, ErrorMessage: errorMessage, StackTrace: stackTrace);
}

using System.Text.Json;
using System.Text.Json.Serialization;
using Carrot.Records;
using Carrot.Tasks;

namespace Carrot.Cli.Output.Views;

/// <summary>A task in --json output. Property names are part of the CLI's contract.</summary>
internal sealed record TaskView(
    long Id,
    string Kallable,
    JsonElement? Args,
    JsonElement? Kwargs,
    string Worker,
    TaskState State,
    int Priority,
    int Attempts,
    int MaxAttempts,
    int? MaxRetries,
    double? TimeoutSeconds,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RunAt,
    DateTimeOffset? QueuedAt,
    DateTimeOffset? PublishedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    double? DurationSeconds,
    DateTimeOffset? CancelRequestedAt,
    long? ScheduleId,
    string? Key,
    string? Node,
    JsonElement? Result,
    string? ErrorType,
    string? ErrorMessage,
    string? StackTrace)
{
    /// <summary>Only with <c>tasks show --logs</c>; left out otherwise rather than written as null.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<TaskLogView>? Logs { get; init; }

    /// <summary>Only with <c>tasks show</c>: how each attempt ended.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<TaskAttemptRecord>? AttemptHistory { get; init; }

    /// <summary>The W3C trace id the task's attempts belong to; null when it was enqueued outside any trace.</summary>
    public string? TraceId { get; init; }

    public static TaskView From(TaskRecord task) => new(
        task.Id,
        task.Kallable,
        RawJson.Parse(task.Args),
        RawJson.Parse(task.Kwargs),
        task.Worker,
        task.State,
        task.Priority,
        task.Attempts,
        task.MaxAttempts,
        task.MaxRetries,
        task.Timeout?.TotalSeconds,
        task.CreatedAt,
        task.RunAt,
        task.QueuedAt,
        task.PublishedAt,
        task.StartedAt,
        task.FinishedAt,
        task is { StartedAt: { } started, FinishedAt: { } finished } ? (finished - started).TotalSeconds : null,
        task.CancelRequestedAt,
        task.ScheduleId,
        task.Key,
        task.Node,
        RawJson.Parse(task.Result),
        task.ErrorType,
        task.ErrorMessage,
        task.StackTrace)
    {
        TraceId = Carrot.Diagnostics.Telemetry.TraceParent.TraceIdOf(task.TraceParent),
    };
}

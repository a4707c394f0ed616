using System.Text.Json;
using Carrot.Records;
using Carrot.Tasks;

namespace Carrot.Handoff;

/// <summary>
/// The hand-off messages as JSON, written and read by hand. Generated serialisers instantiate System.Text.Json's
/// generic metadata over every property type, and a CLI call would JIT-compile some 400 methods for them (the
/// framework ships no precompiled code for those instantiations): more than the rest of a handed-off enqueue costs.
/// They are written with <see cref="FlatJsonWriter"/> and read with JsonDocument.
/// </summary>
internal static class HandoffCodec
{
    public static byte[] Encode(HandoffHello hello) => new FlatJsonWriter()
        .Number("version", hello.Version)
        .String("fingerprint", hello.Fingerprint)
        .ToUtf8();

    public static HandoffHello DecodeHello(byte[] body) => Read(body, root =>
        new HandoffHello(root.GetProperty("version").GetInt32(), root.GetProperty("fingerprint").GetString()!));

    public static byte[] Encode(HandoffAnswer answer) => new FlatJsonWriter()
        .Boolean("accepted", answer.Accepted)
        .String("reason", answer.Reason)
        .ToUtf8();

    public static HandoffAnswer DecodeAnswer(byte[] body) => Read(body, root =>
        new HandoffAnswer(root.GetProperty("accepted").GetBoolean(), OptionalString(root, "reason")));

    public static byte[] Encode(HandoffRequest request)
    {
        var task = request.Request;
        var json = new FlatJsonWriter()
            .Boolean("withTask", request.WithTask)
            .String("kallable", task.Kallable)
            .String("args", task.Args)
            .String("kwargs", task.Kwargs)
            .String("worker", task.Worker)
            .Number("priority", task.Priority);
        if (task.MaxRetries is { } retries)
        {
            json.Number("maxRetries", retries);
        }

        if (task.Timeout is { } timeout)
        {
            json.Number("timeoutTicks", timeout.Ticks);
        }

        if (task.RunAt is { } runAt)
        {
            json.Instant("runAt", runAt);
        }

        if (task.Delay is { } delay)
        {
            json.Number("delayTicks", delay.Ticks);
        }

        return json.String("key", task.Key).String("traceParent", task.TraceParent).ToUtf8();
    }

    public static HandoffRequest DecodeRequest(byte[] body) => Read(body, root => new HandoffRequest(
        new EnqueueRequest
        {
            Kallable = root.GetProperty("kallable").GetString()!,
            Args = root.GetProperty("args").GetString()!,
            Kwargs = root.GetProperty("kwargs").GetString()!,
            Worker = root.GetProperty("worker").GetString()!,
            Priority = root.GetProperty("priority").GetInt32(),
            MaxRetries = root.TryGetProperty("maxRetries", out var retries) ? retries.GetInt32() : null,
            Timeout = root.TryGetProperty("timeoutTicks", out var timeout) ? TimeSpan.FromTicks(timeout.GetInt64()) : null,
            RunAt = root.TryGetProperty("runAt", out var runAt) ? runAt.GetDateTimeOffset() : null,
            Delay = root.TryGetProperty("delayTicks", out var delay) ? TimeSpan.FromTicks(delay.GetInt64()) : null,
            Key = OptionalString(root, "key"),
            TraceParent = OptionalString(root, "traceParent"),
        },
        root.GetProperty("withTask").GetBoolean()));

    public static byte[] Encode(HandoffReply reply)
    {
        var json = new FlatJsonWriter();
        if (reply.Failure is { } failure)
        {
            return json.Number("failureKind", (int)failure.Kind).String("failureMessage", failure.Message).ToUtf8();
        }

        var result = reply.Result!;
        json.Number("taskId", result.TaskId)
            .Boolean("published", result.Published)
            .String("publishError", result.PublishError);
        if (result.ScheduledFor is { } scheduledFor)
        {
            json.Instant("scheduledFor", scheduledFor);
        }

        json.Boolean("duplicate", result.Duplicate);
        if (reply.State is { } state)
        {
            json.Number("state", (int)state);
        }

        return json.String("taskResult", reply.TaskResult)
            .String("errorType", reply.ErrorType)
            .String("errorMessage", reply.ErrorMessage)
            .ToUtf8();
    }

    public static HandoffReply DecodeReply(byte[] body) => Read(body, root =>
    {
        if (root.TryGetProperty("failureKind", out var kind))
        {
            return new HandoffReply { Failure = new HandoffFailure((HandoffFailureKind)kind.GetInt32(), root.GetProperty("failureMessage").GetString()!) };
        }

        return new HandoffReply
        {
            Result = new EnqueueResult(root.GetProperty("taskId").GetInt64(), root.GetProperty("published").GetBoolean(), OptionalString(root, "publishError"))
            {
                ScheduledFor = root.TryGetProperty("scheduledFor", out var scheduledFor) ? scheduledFor.GetDateTimeOffset() : null,
                Duplicate = root.GetProperty("duplicate").GetBoolean(),
            },
            State = root.TryGetProperty("state", out var state) ? (TaskState)state.GetInt32() : null,
            TaskResult = OptionalString(root, "taskResult"),
            ErrorType = OptionalString(root, "errorType"),
            ErrorMessage = OptionalString(root, "errorMessage"),
        };
    });

    /// <summary>A missing field or one of the wrong type means the peer does not speak this protocol.</summary>
    private static T Read<T>(byte[] body, Func<JsonElement, T> read)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return read(document.RootElement);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"A hand-off message that is not Carrot's: {e.Message}", e);
        }
    }

    private static string? OptionalString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

using System.Text.Json;
using Carrot.Records;
using Carrot.Tasks;

namespace Carrot.Handoff;

/// <summary>
/// The hand-off messages as JSON, written and read by hand. Generated serialisers instantiate System.Text.Json's
/// generic metadata over every property type, and a CLI call would JIT-compile some 400 methods for them (the
/// framework ships no precompiled code for those instantiations): more than the rest of a handed-off enqueue costs.
/// </summary>
internal static class HandoffCodec
{
    public static byte[] Encode(HandoffHello hello) => Write(json =>
    {
        json.WriteNumber("version", hello.Version);
        json.WriteString("fingerprint", hello.Fingerprint);
    });

    public static HandoffHello DecodeHello(byte[] body) => Read(body, root =>
        new HandoffHello(root.GetProperty("version").GetInt32(), root.GetProperty("fingerprint").GetString()!));

    public static byte[] Encode(HandoffAnswer answer) => Write(json =>
    {
        json.WriteBoolean("accepted", answer.Accepted);
        WriteOptional(json, "reason", answer.Reason);
    });

    public static HandoffAnswer DecodeAnswer(byte[] body) => Read(body, root =>
        new HandoffAnswer(root.GetProperty("accepted").GetBoolean(), OptionalString(root, "reason")));

    public static byte[] Encode(HandoffRequest request) => Write(json =>
    {
        var task = request.Request;
        json.WriteBoolean("withTask", request.WithTask);
        json.WriteString("kallable", task.Kallable);
        json.WriteString("args", task.Args);
        json.WriteString("kwargs", task.Kwargs);
        json.WriteString("worker", task.Worker);
        json.WriteNumber("priority", task.Priority);
        if (task.MaxRetries is { } retries)
        {
            json.WriteNumber("maxRetries", retries);
        }

        if (task.Timeout is { } timeout)
        {
            json.WriteNumber("timeoutTicks", timeout.Ticks);
        }

        if (task.RunAt is { } runAt)
        {
            json.WriteString("runAt", runAt);
        }

        if (task.Delay is { } delay)
        {
            json.WriteNumber("delayTicks", delay.Ticks);
        }

        WriteOptional(json, "key", task.Key);
        WriteOptional(json, "traceParent", task.TraceParent);
    });

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

    public static byte[] Encode(HandoffReply reply) => Write(json =>
    {
        if (reply.Failure is { } failure)
        {
            json.WriteNumber("failureKind", (int)failure.Kind);
            json.WriteString("failureMessage", failure.Message);
            return;
        }

        var result = reply.Result!;
        json.WriteNumber("taskId", result.TaskId);
        json.WriteBoolean("published", result.Published);
        WriteOptional(json, "publishError", result.PublishError);
        if (result.ScheduledFor is { } scheduledFor)
        {
            json.WriteString("scheduledFor", scheduledFor);
        }

        json.WriteBoolean("duplicate", result.Duplicate);
        if (reply.State is { } state)
        {
            json.WriteNumber("state", (int)state);
        }

        WriteOptional(json, "taskResult", reply.TaskResult);
        WriteOptional(json, "errorType", reply.ErrorType);
        WriteOptional(json, "errorMessage", reply.ErrorMessage);
    });

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

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

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

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static string? OptionalString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

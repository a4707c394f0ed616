using System.Text;
using System.Text.Json;

namespace Carrot.Messaging;

/// <summary>
/// The body of a message: only the task id. The database row is the truth, and the broker a doorbell, so a
/// tampered or stale message can at most ring for a task that the daemon then checks against the row.
/// </summary>
internal static class TaskMessage
{
    public const string ContentType = "application/json";

    public static byte[] Encode(long taskId) => Encoding.UTF8.GetBytes($$"""{"v":1,"task_id":{{taskId}}}""");

    /// <summary>False for anything that is not <c>{"v":1,"task_id":N}</c> with a positive N.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> body, out long taskId)
    {
        taskId = 0;
        if (body.IsEmpty || body.Length > 1024)
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("task_id", out var id)
                && id.ValueKind == JsonValueKind.Number
                && id.TryGetInt64(out taskId)
                && taskId > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>A short, printable excerpt of a body, for the log line that reports a malformed message.</summary>
    public static string Preview(ReadOnlySpan<byte> body)
    {
        var slice = body.Length > 80 ? body[..80] : body;
        try
        {
            return new UTF8Encoding(false, true).GetString(slice);
        }
        catch (DecoderFallbackException)
        {
            return "base64:" + Convert.ToBase64String(slice);
        }
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;
using Carrot.Framing;

namespace Carrot.Kallables.RunnerProtocol;

/// <summary>
/// Frames on the runner's pipes: length-prefixed (<see cref="LengthPrefixedFrames"/>) UTF-8 JSON, at most
/// <see cref="MaxFrameBytes"/>.
/// </summary>
internal static class RunnerFrames
{
    public const int MaxFrameBytes = 512 * 1024 * 1024;

    // Fields a kind does not use are left out (null, 0, false): a no-op task's frames stay a few dozen bytes.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault };

    public static byte[] Encode(RunnerFrame frame) => LengthPrefixedFrames.Frame(JsonSerializer.SerializeToUtf8Bytes(frame, Json));

    /// <summary>The next frame, or null at the end of the stream (the other side closed it or died).</summary>
    public static async Task<RunnerFrame?> ReadAsync(Stream stream, CancellationToken cancellationToken) =>
        await LengthPrefixedFrames.ReadAsync(stream, MaxFrameBytes, ("runner frame", "a carrot-runner's"), cancellationToken) is { } body
            ? JsonSerializer.Deserialize<RunnerFrame>(body, Json) ?? throw new InvalidDataException("An empty runner frame.")
            : null;
}

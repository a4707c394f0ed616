using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Carrot.Kallables.RunnerProtocol;

/// <summary>
/// Frames on the runner's pipes: a 4-byte big-endian length, then that many bytes of UTF-8 JSON. A length past
/// <see cref="MaxFrameBytes"/> means the stream is not a runner's (or is corrupt): the reader refuses it rather than
/// allocating whatever it says.
/// </summary>
internal static class RunnerFrames
{
    public const int MaxFrameBytes = 512 * 1024 * 1024;

    // Fields a kind does not use are left out (null, 0, false): a no-op task's frames stay a few dozen bytes.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault };

    public static byte[] Encode(RunnerFrame frame)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(frame, Json);
        var bytes = new byte[4 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, body.Length);
        body.CopyTo(bytes, 4);
        return bytes;
    }

    /// <summary>The next frame, or null at the end of the stream (the other side closed it or died).</summary>
    public static async Task<RunnerFrame?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var header = new byte[4];
        if (!await FillAsync(stream, header, cancellationToken))
        {
            return null;
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(header);
        if (length is < 0 or > MaxFrameBytes)
        {
            throw new InvalidDataException($"A runner frame of {length} bytes is out of range (at most {MaxFrameBytes}): the stream is not a carrot-runner's.");
        }

        var body = new byte[length];
        if (!await FillAsync(stream, body, cancellationToken))
        {
            return null;
        }

        return JsonSerializer.Deserialize<RunnerFrame>(body, Json) ?? throw new InvalidDataException("An empty runner frame.");
    }

    private static async Task<bool> FillAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }
}

using System.Buffers.Binary;

namespace Carrot.Handoff;

/// <summary>
/// Frames on the hand-off socket: a 4-byte big-endian length, then that many bytes of UTF-8 JSON (<see cref="HandoffCodec"/>). A length past
/// <see cref="MaxFrameBytes"/> is refused rather than allocated: the stream is not a Carrot one.
/// </summary>
internal static class HandoffFrames
{
    // Args and kwargs are at most maxArgumentBytes (1 MiB by default, JSON-escaped once more here); room for a large setting.
    public const int MaxFrameBytes = 64 * 1024 * 1024;

    public static async Task WriteAsync(Stream stream, byte[] body, CancellationToken cancellationToken)
    {
        var frame = new byte[4 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, body.Length);
        body.CopyTo(frame, 4);
        await stream.WriteAsync(frame, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    /// <summary>The next frame's body, or null when the other side closed the stream first.</summary>
    public static async Task<byte[]?> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var header = new byte[4];
        if (!await FillAsync(stream, header, cancellationToken))
        {
            return null;
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(header);
        if (length is <= 0 or > MaxFrameBytes)
        {
            throw new InvalidDataException($"A hand-off frame of {length} bytes is out of range (1 to {MaxFrameBytes}): the peer does not speak Carrot's hand-off.");
        }

        var body = new byte[length];
        if (!await FillAsync(stream, body, cancellationToken))
        {
            return null;
        }

        return body;
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

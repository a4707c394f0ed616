using System.Buffers.Binary;

namespace Carrot.Framing;

/// <summary>
/// Frames of a byte stream between Carrot's own processes (carrotd and its runners, carrot and carrotd): a 4-byte
/// big-endian length, then that many bytes. A length out of range means the stream is not what it should be (or is
/// corrupt): the reader refuses it rather than allocating whatever it says.
/// </summary>
internal static class LengthPrefixedFrames
{
    /// <summary>The body with its length in front, ready to be written in one call.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> body)
    {
        var frame = new byte[4 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, body.Length);
        body.CopyTo(frame.AsSpan(4));
        return frame;
    }

    /// <summary>The next frame's body, or null at the end of the stream (the other side closed it or died).</summary>
    /// <param name="what">Names the frames and the peer in the error, e.g. "runner frame" and "a carrot-runner's".</param>
    public static async Task<byte[]?> ReadAsync(Stream stream, int maxBytes, (string Frame, string Peer) what, CancellationToken cancellationToken)
    {
        var header = new byte[4];
        if (!await FillAsync(stream, header, cancellationToken))
        {
            return null;
        }

        var length = Length(header, maxBytes, what);

        var body = new byte[length];
        return await FillAsync(stream, body, cancellationToken) ? body : null;
    }

    /// <summary>
    /// As <see cref="ReadAsync"/>, blocking: for a caller whose one exchange is its whole life (a CLI call), where an
    /// await that suspends costs more JIT-compiled state machine code than the exchange itself.
    /// </summary>
    public static byte[]? Read(Stream stream, int maxBytes, (string Frame, string Peer) what)
    {
        Span<byte> header = stackalloc byte[4];
        if (stream.ReadAtLeast(header, 4, throwOnEndOfStream: false) < 4)
        {
            return null;
        }

        var length = Length(header, maxBytes, what);

        var body = new byte[length];
        return stream.ReadAtLeast(body, length, throwOnEndOfStream: false) < length ? null : body;
    }

    private static int Length(ReadOnlySpan<byte> header, int maxBytes, (string Frame, string Peer) what)
    {
        var length = BinaryPrimitives.ReadInt32BigEndian(header);
        return length is > 0 && length <= maxBytes
            ? length
            : throw new InvalidDataException($"A {what.Frame} of {length} bytes is out of range (1 to {maxBytes}): the stream is not {what.Peer}.");
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

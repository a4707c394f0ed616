using Carrot.Framing;

namespace Carrot.Handoff;

/// <summary>Frames on the hand-off socket: length-prefixed UTF-8 JSON (<see cref="HandoffCodec"/>).</summary>
internal static class HandoffFrames
{
    // Args and kwargs are at most maxArgumentBytes (1 MiB by default, JSON-escaped once more here); room for a large setting.
    public const int MaxFrameBytes = 64 * 1024 * 1024;

    public static async Task WriteAsync(Stream stream, byte[] body, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(LengthPrefixedFrames.Frame(body), cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    /// <summary>The next frame's body, or null when the other side closed the stream first.</summary>
    public static Task<byte[]?> ReadAsync(Stream stream, CancellationToken cancellationToken) =>
        LengthPrefixedFrames.ReadAsync(stream, MaxFrameBytes, What, cancellationToken);

    /// <summary>The CLI's side, blocking (see <see cref="LengthPrefixedFrames.Read"/>).</summary>
    public static void Write(Stream stream, byte[] body) => stream.Write(LengthPrefixedFrames.Frame(body));

    /// <inheritdoc cref="Write"/>
    public static byte[]? Read(Stream stream) => LengthPrefixedFrames.Read(stream, MaxFrameBytes, What);

    private static (string, string) What => ("hand-off frame", "a Carrot hand-off");
}

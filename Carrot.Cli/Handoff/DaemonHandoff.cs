using System.Net.Sockets;
using Carrot.Configuration;
using Carrot.Handoff;
using Carrot.Records;

namespace Carrot.Cli.Handoff;

/// <summary>
/// Hands <c>carrot enqueue</c> to the local carrotd over its socket (<c>enqueueSocket</c>), which enqueues it with its
/// warm connections and catalogue. Null means "enqueue by yourself": no socket, no carrotd answering, another protocol
/// or other settings. All of these are settled before the task is sent; once it is sent, the only way back is the
/// daemon's answer, so that a task is never recorded twice.
/// </summary>
internal static class DaemonHandoff
{
    // A live carrotd answers in about a millisecond; a stopped (SIGSTOP) or swamped one must not hold a script up long.
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(2);

    // Longer than the daemon's own limits on an enqueue (the database's busy timeout, the broker's confirm).
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromMinutes(2);

    public static async Task<HandoffReply?> TryEnqueueAsync(CarrotOptions options, EnqueueRequest request, bool withTask, CancellationToken cancellationToken)
    {
        if (HandoffSocket.PathFor(options) is not { } path || !File.Exists(path))
        {
            return null;
        }

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await using var stream = await OpenAsync(socket, path, options, cancellationToken);
        if (stream is null)
        {
            return null;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReplyTimeout);
        try
        {
            await HandoffFrames.WriteAsync(stream, HandoffCodec.Encode(new HandoffRequest(request, withTask)), timeout.Token);
        }
        catch (Exception e) when (IsLost(e, cancellationToken))
        {
            // carrotd acts only on a whole request, and it did not take this one.
            return null;
        }

        HandoffReply? reply;
        try
        {
            reply = await HandoffFrames.ReadAsync(stream, timeout.Token) is { } body ? HandoffCodec.DecodeReply(body) : null;
        }
        catch (Exception e) when (IsLost(e, cancellationToken))
        {
            throw new UncertainEnqueueException(path, e is OperationCanceledException ? $"gave no answer within {ReplyTimeout.TotalMinutes:0} minutes" : $"the connection failed ({e.Message})");
        }

        if (reply is null)
        {
            throw new UncertainEnqueueException(path, "closed the connection before answering");
        }

        return reply.Failure is { } failure ? throw failure.ToException() : reply;
    }

    /// <summary>Connects and says hello; null unless carrotd accepted.</summary>
    private static async Task<NetworkStream?> OpenAsync(Socket socket, string path, CarrotOptions options, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(AnswerTimeout);
        NetworkStream? stream = null;
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), timeout.Token);
            stream = new NetworkStream(socket, ownsSocket: false);
            await HandoffFrames.WriteAsync(stream, HandoffCodec.Encode(new HandoffHello(HandoffHello.CurrentVersion, HandoffFingerprint.Of(options))), timeout.Token);
            if (await HandoffFrames.ReadAsync(stream, timeout.Token) is { } body && HandoffCodec.DecodeAnswer(body).Accepted)
            {
                return stream;
            }
        }
        catch (Exception e) when (IsLost(e, cancellationToken) || e is UnauthorizedAccessException)
        {
            // No carrotd there (a socket left by one that died), not ours to use, or too slow: enqueue by ourselves.
        }

        if (stream is not null)
        {
            await stream.DisposeAsync();
        }

        return null;
    }

    private static bool IsLost(Exception e, CancellationToken cancellationToken) =>
        e is IOException or SocketException or InvalidDataException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);
}

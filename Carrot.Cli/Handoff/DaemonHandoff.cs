using System.Net.Sockets;
using System.Runtime.InteropServices;
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
/// <remarks>
/// The one exchange blocks, with the socket's own timeouts, and Ctrl+C closes the socket under it. Awaiting it would
/// suspend the whole chain of async methods down from Main, and the JIT-compiled state machine code for that (the
/// framework ships none for our types) costs a call more than the exchange itself. (The socket engine's thread
/// starts either way: System.Net.Sockets starts it on first use.)
/// This is the CLI's short-lived process only; carrotd's side is asynchronous.
/// </remarks>
internal static class DaemonHandoff
{
    // A live carrotd answers in about a millisecond; a stopped (SIGSTOP) or swamped one must not hold a script up long.
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(2);

    // Longer than the daemon's own limits on an enqueue (the database's busy timeout, the broker's confirm).
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromMinutes(2);

    public static HandoffReply? TryEnqueue(CarrotOptions options, EnqueueRequest request, bool withTask, CancellationToken cancellationToken)
    {
        if (HandoffSocket.PathFor(options) is not { } path || !File.Exists(path))
        {
            return null;
        }

        // System.CommandLine turns SIGINT and SIGTERM into cancellation only once the action has first awaited, and
        // this exchange blocks before that: without these the signal would end the process with no word.
        using var interrupted = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        void Interrupt(PosixSignalContext signal)
        {
            signal.Cancel = true;
            interrupted.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
        return Exchange(options, request, withTask, path, interrupted.Token);
    }

    private static HandoffReply? Exchange(CarrotOptions options, EnqueueRequest request, bool withTask, string path, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var interrupt = cancellationToken.Register(socket.Dispose);
        using var stream = Open(socket, path, options, cancellationToken);
        if (stream is null)
        {
            return null;
        }

        socket.SendTimeout = socket.ReceiveTimeout = (int)ReplyTimeout.TotalMilliseconds;
        try
        {
            HandoffFrames.Write(stream, HandoffCodec.Encode(new HandoffRequest(request, withTask)));
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (Exception e) when (IsLost(e, cancellationToken))
        {
            // carrotd acts only on a whole request, and it did not take this one.
            return null;
        }

        HandoffReply? reply;
        try
        {
            reply = HandoffFrames.Read(stream) is { } body ? HandoffCodec.DecodeReply(body) : null;
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (Exception e) when (IsLost(e, cancellationToken))
        {
            throw new UncertainEnqueueException(path, e is IOException { InnerException: SocketException { SocketErrorCode: SocketError.TimedOut or SocketError.WouldBlock } }
                ? $"gave no answer within {ReplyTimeout.TotalMinutes:0} minutes"
                : $"the connection failed ({e.Message})");
        }

        if (reply is null)
        {
            throw new UncertainEnqueueException(path, "closed the connection before answering");
        }

        return reply.Failure is { } failure ? throw failure.ToException() : reply;
    }

    /// <summary>Connects and says hello; null unless carrotd accepted.</summary>
    private static NetworkStream? Open(Socket socket, string path, CarrotOptions options, CancellationToken cancellationToken)
    {
        // On a Unix socket the send timeout bounds connect() too (a full backlog).
        socket.SendTimeout = socket.ReceiveTimeout = (int)AnswerTimeout.TotalMilliseconds;
        NetworkStream? stream = null;
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
            stream = new NetworkStream(socket, ownsSocket: false);
            HandoffFrames.Write(stream, HandoffCodec.Encode(new HandoffHello(HandoffHello.CurrentVersion, HandoffFingerprint.Of(options))));
            if (HandoffFrames.Read(stream) is { } body && HandoffCodec.DecodeAnswer(body).Accepted)
            {
                return stream;
            }
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (Exception e) when (IsLost(e, cancellationToken))
        {
            // No carrotd there (a socket left by one that died), not ours to use, or too slow: enqueue by ourselves.
        }

        stream?.Dispose();
        return null;
    }

    // Ctrl+C closes the socket under a blocking call, which then fails in any of several ways: see the catches above.
    private static bool IsLost(Exception e, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && e is IOException or SocketException or InvalidDataException;
}

using System.Net.Sockets;
using Carrot.Client;
using Carrot.Configuration;
using Carrot.Handoff;

namespace Carrot.Daemon.Handoff;

/// <summary>
/// One local caller's enqueue: its hello is answered before it sends the task, so a caller that is declined (other
/// settings, another protocol) or gets no answer enqueues by itself without any risk of a second row. The enqueue
/// is the client's own <see cref="CarrotClient.EnqueueAsync(Carrot.Records.EnqueueRequest, CancellationToken)"/>:
/// the same checks, row, publish and result as in the caller's process.
/// </summary>
internal static class HandoffConnection
{
    // A caller that connects and then sends nothing is not waited for long.
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    public static async Task ServeAsync(Socket socket, CarrotClient client, CarrotOptions options, Serilog.ILogger logger, CancellationToken cancellationToken)
    {
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            var request = await AcceptAsync(stream, options, logger, cancellationToken);
            if (request is null)
            {
                return;
            }

            HandoffReply reply;
            try
            {
                var enqueued = await client.EnqueueAsync(request.Request, cancellationToken);
                logger.Debug("Task {TaskId} enqueued for a local carrot call", enqueued.TaskId);
                var task = request.WithTask ? await client.GetTaskAsync(enqueued.TaskId, cancellationToken) : null;
                reply = new HandoffReply
                {
                    Result = enqueued,
                    State = task?.State,
                    TaskResult = task?.Result,
                    ErrorType = task?.ErrorType,
                    ErrorMessage = task?.ErrorMessage,
                };
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                reply = new HandoffReply { Failure = HandoffFailure.From(e) };
            }

            await HandoffFrames.WriteAsync(stream, HandoffCodec.Encode(reply), cancellationToken);
        }
        catch (Exception e) when (e is IOException or SocketException or InvalidDataException)
        {
            // The caller went away or does not speak the protocol: its own process reports what it knows.
            logger.Debug("An enqueue hand-off ended early: {Reason}", e.Message);
        }
    }

    private static async Task<HandoffRequest?> AcceptAsync(NetworkStream stream, CarrotOptions options, Serilog.ILogger logger, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReadTimeout);
        try
        {
            if (await HandoffFrames.ReadAsync(stream, timeout.Token) is not { } helloBody)
            {
                return null;
            }

            var hello = HandoffCodec.DecodeHello(helloBody);
            var reason = hello.Version != HandoffHello.CurrentVersion
                ? $"protocol {hello.Version}, this carrotd speaks {HandoffHello.CurrentVersion}"
                : HandoffFingerprint.Differences(HandoffFingerprint.Of(options), hello.Fingerprint) is { Count: > 0 } differing
                    ? $"the caller's {string.Join(", ", differing)} differ from this carrotd's"
                    : null;
            await HandoffFrames.WriteAsync(stream, HandoffCodec.Encode(new HandoffAnswer(reason is null, reason)), timeout.Token);
            if (reason is not null)
            {
                logger.Debug("Declined an enqueue hand-off: {Reason}", reason);
                return null;
            }

            return await HandoffFrames.ReadAsync(stream, timeout.Token) is { } requestBody ? HandoffCodec.DecodeRequest(requestBody) : null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            logger.Debug("An enqueue hand-off sent nothing for {Seconds} s; closed", ReadTimeout.TotalSeconds);
            return null;
        }
    }
}

using Carrot.Errors;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Carrot.Messaging;

/// <summary>
/// Publishes task ids persistently, mandatory, and waits for the broker's confirm: a message is only reported
/// sent once RabbitMQ has written it to disk. A nack, a return (no queue) or a timeout is an error, and the
/// caller leaves the row unpublished for the daemon's relay.
/// </summary>
internal sealed class TaskPublisher(BrokerConnector connector, string clientName) : IAsyncDisposable
{
    private static readonly TimeSpan ConfirmTimeout = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<string> _declaredWorkers = [];
    private IConnection? _connection;
    private IChannel? _channel;

    public async Task PublishAsync(long taskId, string worker, int priority, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ConfirmTimeout);
            var channel = await GetChannelAsync(timeout.Token);
            if (_declaredWorkers.Add(worker))
            {
                await TopologyDeclarer.DeclareWorkerAsync(channel, worker, timeout.Token);
            }

            var properties = new BasicProperties
            {
                Persistent = true,
                MessageId = taskId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ContentType = TaskMessage.ContentType,
                Priority = (byte)Math.Clamp(priority, 0, Topology.MaxPriority),
            };
            await channel.BasicPublishAsync(Topology.Exchange, worker, mandatory: true, properties, TaskMessage.Encode(taskId), timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await ResetAsync();
            throw new BrokerUnavailableException($"RabbitMQ at {connector.Redacted} did not confirm task {taskId} within {ConfirmTimeout.TotalSeconds:0} s (it may be blocked by a memory or disk alarm).");
        }
        catch (PublishException e)
        {
            _declaredWorkers.Remove(worker);
            throw new BrokerUnavailableException($"RabbitMQ at {connector.Redacted} refused task {taskId} ({(e.IsReturn ? "no queue took it" : "negative confirm")}).", e);
        }
        catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException or IOException)
        {
            await ResetAsync();
            throw new BrokerUnavailableException($"Lost the connection to RabbitMQ at {connector.Redacted} while publishing task {taskId}: {connector.Describe(e)}", e);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ResetAsync();
        _gate.Dispose();
    }

    private async Task<IChannel> GetChannelAsync(CancellationToken cancellationToken)
    {
        if (_channel is { IsOpen: true })
        {
            return _channel;
        }

        await ResetAsync();
        _connection = await connector.ConnectAsync(clientName, cancellationToken);
        _channel = await _connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
            cancellationToken);
        return _channel;
    }

    private async Task ResetAsync()
    {
        _declaredWorkers.Clear();
        var channel = _channel;
        var connection = _connection;
        _channel = null;
        _connection = null;
        try
        {
            if (channel is not null)
            {
                await channel.DisposeAsync();
            }

            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
        catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException or IOException or ObjectDisposedException)
        {
            // Already gone; nothing to release.
        }
    }
}

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
    /// <summary>How many messages a bulk publish keeps unconfirmed at once (one window).</summary>
    public const int MaxInFlight = 256;

    private static readonly TimeSpan ConfirmTimeout = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<string> _declaredWorkers = [];
    private IConnection? _connection;
    private IChannel? _channel;

    /// <summary>
    /// Connects, and declares the worker's queue when one is named, ahead of the first publish, so that the handshake
    /// overlaps the caller's own work (validating, inserting the row). Name the worker only once the request is
    /// known good: a refused request must leave no queue behind. Never throws: a broker problem surfaces in the publish.
    /// </summary>
    public async Task PrepareAsync(string? worker, CancellationToken cancellationToken)
    {
        try
        {
            await _gate.WaitAsync(cancellationToken);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(ConfirmTimeout);
                var channel = await GetChannelAsync(timeout.Token);
                if (worker is not null && !_declaredWorkers.Contains(worker))
                {
                    await TopologyDeclarer.DeclareWorkerAsync(channel, worker, connector, timeout.Token);
                    _declaredWorkers.Add(worker);
                }
            }
            finally
            {
                _gate.Release();
            }
        }
        catch (Exception e) when (e is BrokerUnavailableException or OperationCanceledException or AlreadyClosedException or OperationInterruptedException or IOException)
        {
            // The publish tries again and reports it.
        }
    }

    public async Task PublishAsync(PublishItem item, CancellationToken cancellationToken)
    {
        var (taskId, worker, _, _) = item;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ConfirmTimeout);
            var channel = await GetChannelAsync(timeout.Token);
            if (_declaredWorkers.Add(worker))
            {
                await TopologyDeclarer.DeclareWorkerAsync(channel, worker, connector, timeout.Token);
            }

            await PublishOneAsync(channel, item, timeout.Token);
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

    /// <summary>
    /// Publishes a window of messages with their confirms in flight together (pipelined), rather than one round
    /// trip each. Returns, per item, null when the broker confirmed it, else why not; the caller leaves those rows
    /// unpublished for the relay. Callers keep a window small enough (a few hundred) for one confirm timeout.
    /// </summary>
    public async Task<string?[]> PublishManyAsync(IReadOnlyList<PublishItem> items, CancellationToken cancellationToken)
    {
        var errors = new string?[items.Count];
        if (items.Count == 0)
        {
            return errors;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ConfirmTimeout);
            IChannel channel;
            try
            {
                channel = await GetChannelAsync(timeout.Token);
                foreach (var worker in items.Select(i => i.Worker).Distinct())
                {
                    if (_declaredWorkers.Add(worker))
                    {
                        await TopologyDeclarer.DeclareWorkerAsync(channel, worker, connector, timeout.Token);
                    }
                }
            }
            catch (BrokerUnavailableException e)
            {
                Array.Fill(errors, e.Message);
                return errors;
            }
            catch (Exception e) when (e is OperationCanceledException or AlreadyClosedException or OperationInterruptedException or IOException)
            {
                await ResetAsync();
                cancellationToken.ThrowIfCancellationRequested();
                Array.Fill(errors, $"Lost the connection to RabbitMQ at {connector.Redacted} before publishing: {(e is OperationCanceledException ? "timed out." : connector.Describe(e))}");
                return errors;
            }

            // Each publish returns once its confirm arrives; starting them all first keeps them in flight together.
            var pending = new Task[items.Count];
            for (var i = 0; i < items.Count; i++)
            {
                pending[i] = PublishOneAsync(channel, items[i], timeout.Token);
            }

            var lost = false;
            for (var i = 0; i < items.Count; i++)
            {
                try
                {
                    await pending[i];
                }
                catch (PublishException e)
                {
                    _declaredWorkers.Remove(items[i].Worker);
                    errors[i] = $"RabbitMQ at {connector.Redacted} refused task {items[i].TaskId} ({(e.IsReturn ? "no queue took it" : "negative confirm")}).";
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    lost = true;
                    errors[i] = $"RabbitMQ at {connector.Redacted} did not confirm task {items[i].TaskId} within {ConfirmTimeout.TotalSeconds:0} s (it may be blocked by a memory or disk alarm).";
                }
                catch (OperationCanceledException)
                {
                    errors[i] = "Cancelled before RabbitMQ confirmed the message.";
                }
                catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException or IOException)
                {
                    lost = true;
                    errors[i] = $"Lost the connection to RabbitMQ at {connector.Redacted} while publishing task {items[i].TaskId}: {connector.Describe(e)}";
                }
            }

            if (lost)
            {
                await ResetAsync();
            }

            return errors;
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

    private static async Task PublishOneAsync(IChannel channel, PublishItem item, CancellationToken cancellationToken)
    {
        var properties = new BasicProperties
        {
            Persistent = true,
            MessageId = item.TaskId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ContentType = TaskMessage.ContentType,
            Priority = (byte)Math.Clamp(item.Priority, 0, Topology.MaxPriority),
            // For tools that read the broker; the daemon takes the context from the row, which every run has.
            Headers = item.TraceParent is { } traceParent
                ? new Dictionary<string, object?> { [Diagnostics.Telemetry.MessagingAttributes.TraceParentHeader] = traceParent }
                : null,
        };
        await channel.BasicPublishAsync(Topology.Exchange, item.Worker, mandatory: true, properties, TaskMessage.Encode(item.TaskId), cancellationToken);
    }

    private async Task<IChannel> GetChannelAsync(CancellationToken cancellationToken)
    {
        if (_channel is { IsOpen: true })
        {
            return _channel;
        }

        await ResetAsync();
        // No automatic recovery: a closed channel is opened again here, on the next publish.
        _connection = await connector.ConnectAsync(clientName, cancellationToken, recovers: false);
        _channel = await _connection.CreateChannelAsync(
            // The library's default limiter starts delaying publishes at 64 unconfirmed messages; bulk windows keep
            // up to MaxInFlight in flight, so the limit sits above that.
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true,
                outstandingPublisherConfirmationsRateLimiter: new ThrottlingRateLimiter(MaxInFlight * 4)),
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

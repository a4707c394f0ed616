using Carrot.Messaging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Carrot.Daemon.Consuming;

/// <summary>
/// The consumers' channels, spread over as many connections as they need: one connection holds at most its
/// negotiated channel_max (RabbitMQ's default 2,047), so a daemon with more workers than that opens another
/// connection instead of failing. The first connection is the one the supervisor opened at start.
/// </summary>
internal sealed class BrokerChannels(BrokerConnector connector, string clientName, Serilog.ILogger logger) : IAsyncDisposable
{
    private const ushort BrokerDefaultChannelMax = 2047;

    private readonly List<Pooled> _connections = [];
    private readonly SemaphoreSlim _lock = new(1, 1);

    /// <summary>How the consumers declare their queues (queue type, virtual host).</summary>
    public BrokerConnector Connector => connector;

    public void Add(IConnection connection)
    {
        _connections.Add(new Pooled(connection));
    }

    /// <summary>A new channel on a connection with room for it; the lease gives the slot back when disposed.</summary>
    public async Task<ChannelLease> OpenAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            foreach (var pooled in _connections.Where(p => p.Connection.IsOpen && p.Open < Capacity(p.Connection)))
            {
                try
                {
                    return await OpenOnAsync(pooled, cancellationToken);
                }
                catch (ChannelAllocationException)
                {
                    // Full after all (the broker counts channels we already closed a moment ago): try the next one.
                    pooled.Open = Capacity(pooled.Connection);
                }
            }

            var connection = await connector.ConnectAsync($"{clientName}#{_connections.Count + 1}", cancellationToken);
            var added = new Pooled(connection);
            _connections.Add(added);
            logger.Information("Opened RabbitMQ connection {Number} for consumers ({Channels} channels in use)", _connections.Count, _connections.Sum(p => p.Open));
            return await OpenOnAsync(added, cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var pooled in _connections)
        {
            try
            {
                await pooled.Connection.CloseAsync(CancellationToken.None);
            }
            catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException or IOException)
            {
                logger.Debug("RabbitMQ connection was already closed: {Reason}", e.Message);
            }

            pooled.Connection.Dispose();
        }

        _connections.Clear();
        _lock.Dispose();
    }

    // One channel is kept spare: the broker may still count a channel we closed a moment ago.
    private static int Capacity(IConnection connection) => (connection.ChannelMax == 0 ? BrokerDefaultChannelMax : connection.ChannelMax) - 1;

    private static async Task<ChannelLease> OpenOnAsync(Pooled pooled, CancellationToken cancellationToken)
    {
        var channel = await pooled.Connection.CreateChannelAsync(cancellationToken: cancellationToken);
        pooled.Open++;
        return new ChannelLease(channel, pooled.Connection, () => Interlocked.Decrement(ref pooled.Open));
    }

    private sealed class Pooled(IConnection connection)
    {
        public IConnection Connection { get; } = connection;

        public int Open;
    }
}

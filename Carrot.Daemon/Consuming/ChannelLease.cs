using RabbitMQ.Client;

namespace Carrot.Daemon.Consuming;

/// <summary>A consumer's channel and the connection it lives on; disposing it frees its place in <see cref="BrokerChannels"/>.</summary>
internal sealed class ChannelLease(IChannel channel, IConnection connection, Action release) : IDisposable
{
    private int _released;

    public IChannel Channel { get; } = channel;

    public IConnection Connection { get; } = connection;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            Channel.Dispose();
            release();
        }
    }
}

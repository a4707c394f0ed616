using Carrot.Configuration;
using Carrot.Errors;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Carrot.Messaging;

/// <summary>
/// Opens connections to RabbitMQ with automatic recovery (connection, channels, topology and consumers come
/// back after a broker restart). Recovery does not cover the first connect, which the caller retries.
/// </summary>
internal sealed class BrokerConnector(CarrotOptions options)
{
    private readonly BrokerAddress _address = BrokerAddress.Parse(options.Broker);

    public string Redacted => _address.Redacted;

    public async Task<IConnection> ConnectAsync(string clientName, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var factory = new ConnectionFactory
        {
            Uri = _address.Uri,
            ClientProvidedName = clientName,
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            NetworkRecoveryInterval = TimeSpan.FromSeconds(2),
            RequestedHeartbeat = TimeSpan.FromSeconds(10),
            RequestedConnectionTimeout = timeout ?? TimeSpan.FromSeconds(5),
        };
        try
        {
            return await factory.CreateConnectionAsync(cancellationToken);
        }
        catch (Exception e) when (e is BrokerUnreachableException or OperationInterruptedException or IOException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new BrokerUnavailableException($"Cannot reach RabbitMQ at {_address.Redacted}: {Describe(e)} Start RabbitMQ or set {CarrotConfiguration.BrokerVariable}.", e);
        }
    }

    /// <summary>The innermost message, which says why (refused, auth, vhost), with any trace of the password scrubbed.</summary>
    public string Describe(Exception e)
    {
        var inner = e;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        var text = inner.Message.TrimEnd('.');
        return _address.Scrub(text.Length == 0 ? e.GetType().Name + "." : text + ".");
    }
}

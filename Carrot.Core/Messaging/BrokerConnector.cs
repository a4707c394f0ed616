using Carrot.Configuration;
using Carrot.Errors;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Carrot.Messaging;

/// <summary>
/// Opens connections to RabbitMQ, with automatic recovery for those that consume (connection, channels, topology and
/// consumers come back after a broker restart). Recovery does not cover the first connect, which the caller retries. With
/// several addresses (a cluster's nodes) the client takes them in random order, and both the first connect and
/// every recovery try the next node when one does not answer.
/// </summary>
internal sealed class BrokerConnector(CarrotOptions options)
{
    private readonly BrokerAddressList _addresses = BrokerAddressList.Parse(options.Broker);

    public string Redacted => _addresses.Redacted;

    /// <summary>How worker queues are declared (<c>queueType</c>).</summary>
    public BrokerQueueType QueueType { get; } = QueueTypeSetting.Of(options);

    /// <summary>The virtual host every address names, for messages that tell an operator what to run.</summary>
    public string VirtualHost => _addresses.VirtualHost;

    /// <param name="recovers">
    /// The connection comes back by itself after a broker restart (what a consumer needs). Off for connections that only
    /// publish or check: their owner connects again on its next use, and a one-call process (<c>carrot enqueue</c>) does
    /// not pay to start the recovery layer (about a tenth of the methods the call compiles).
    /// </param>
    public async Task<IConnection> ConnectAsync(string clientName, CancellationToken cancellationToken, TimeSpan? timeout = null, bool recovers = true)
    {
        var factory = new ConnectionFactory
        {
            // User, password and virtual host (the same for every node); the hosts come from the endpoints.
            Uri = _addresses.First.Uri,
            ClientProvidedName = clientName,
            AutomaticRecoveryEnabled = recovers,
            TopologyRecoveryEnabled = recovers,
            NetworkRecoveryInterval = TimeSpan.FromSeconds(2),
            RequestedHeartbeat = TimeSpan.FromSeconds(10),
            RequestedConnectionTimeout = timeout ?? TimeSpan.FromSeconds(5),
        };
        try
        {
            return await factory.CreateConnectionAsync(Endpoints(), clientName, cancellationToken);
        }
        catch (Exception e) when (e is BrokerUnreachableException or OperationInterruptedException or IOException or System.Net.Sockets.SocketException or TimeoutException)
        {
            var what = _addresses.Addresses.Count == 1 ? "RabbitMQ" : $"any of the {_addresses.Addresses.Count} RabbitMQ nodes";
            throw new BrokerUnavailableException($"Cannot reach {what} at {_addresses.Redacted}: {Describe(e)} Start RabbitMQ or set {CarrotConfiguration.BrokerVariable}.", e);
        }
    }

    /// <summary>The innermost message, which says why (refused, auth, vhost), with any trace of a password scrubbed.</summary>
    public string Describe(Exception e)
    {
        var inner = e;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        var text = inner.Message.TrimEnd('.');
        return _addresses.Scrub(text.Length == 0 ? e.GetType().Name + "." : text + ".");
    }

    /// <summary>What the broker said when it closed a channel (e.g. "PRECONDITION_FAILED - inequivalent arg …"), scrubbed.</summary>
    public string Reply(OperationInterruptedException e) =>
        _addresses.Scrub(e.ShutdownReason?.ReplyText is { Length: > 0 } text ? text : Describe(e).TrimEnd('.'));

    private List<AmqpTcpEndpoint> Endpoints() => _addresses.Addresses
        .Select(a => a.Uri.Scheme == "amqps"
            ? new AmqpTcpEndpoint(a.Uri.IdnHost, a.Uri.Port, new SslOption(a.Uri.IdnHost, enabled: true))
            : new AmqpTcpEndpoint(a.Uri.IdnHost, a.Uri.Port))
        .ToList();
}

using Carrot.Configuration;
using Carrot.Errors;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Carrot.Messaging;

/// <summary>Declares the exchanges and a worker's queue. Declarations are idempotent, so every process may run them.</summary>
internal static class TopologyDeclarer
{
    private const ushort PreconditionFailed = 406;

    public static async Task DeclareWorkerAsync(IChannel channel, string worker, BrokerConnector broker, CancellationToken cancellationToken)
    {
        await channel.ExchangeDeclareAsync(Topology.Exchange, ExchangeType.Direct, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        await channel.ExchangeDeclareAsync(Topology.DeadLetterExchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        await DeclareQueueAsync(channel, Topology.DeadLetterQueue, Topology.DeadLetterQueueArguments(broker.QueueType), broker, cancellationToken);
        await channel.QueueBindAsync(Topology.DeadLetterQueue, Topology.DeadLetterExchange, routingKey: "", cancellationToken: cancellationToken);

        var queue = Topology.QueueFor(worker);
        await DeclareQueueAsync(channel, queue, Topology.WorkerQueueArguments(broker.QueueType), broker, cancellationToken);
        await channel.QueueBindAsync(queue, Topology.Exchange, routingKey: worker, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// The one line for a queue that exists with other arguments (RabbitMQ answers 406 and closes the channel): most
    /// often a queue declared classic before queueType became quorum, or the other way round. All of Carrot's queues
    /// move together (the dead-letter queue too), so the line names them all.
    /// </summary>
    public static string Mismatch(string queue, BrokerQueueType wanted, string virtualHost, string reply)
    {
        var type = QueueTypeSetting.Name(wanted);
        var other = QueueTypeSetting.Name(wanted == BrokerQueueType.Quorum ? BrokerQueueType.Classic : BrokerQueueType.Quorum);
        // RabbitMQ names the first argument that differs: the type, or (a classic queue met by a quorum declare) its priority.
        var otherType = reply.Contains("'x-queue-type'", StringComparison.Ordinal)
            || (wanted == BrokerQueueType.Quorum && reply.Contains("'x-max-priority'", StringComparison.Ordinal));
        var exists = otherType ? $"it exists as a {other} queue" : "it exists with other arguments";
        return $"RabbitMQ refused to declare {queue} as a {type} queue: {exists} ({reply}). A queue's type cannot change in place. "
            + $"To move to {type}: set queueType {type} in every configuration (carrotd and producers), stop every carrotd, delete Carrot's queues "
            + $"(rabbitmqctl delete_queue -p {virtualHost} {Topology.DeadLetterQueue}, and the same for each worker's {Topology.QueueFor("WORKER")}), then start carrotd: "
            + $"it declares them as {type} and publishes the queued tasks again from the database. Or set queueType back to {other}.";
    }

    private static async Task DeclareQueueAsync(IChannel channel, string queue, IDictionary<string, object?>? arguments, BrokerConnector broker, CancellationToken cancellationToken)
    {
        try
        {
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: arguments, cancellationToken: cancellationToken);
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == PreconditionFailed)
        {
            // No inner exception: callers print the innermost message, and this line says more than the broker's.
            throw new BrokerUnavailableException(Mismatch(queue, broker.QueueType, broker.VirtualHost, broker.Reply(e)));
        }
    }
}

using RabbitMQ.Client;

namespace Carrot.Messaging;

/// <summary>Declares the exchanges and a worker's queue. Declarations are idempotent, so every process may run them.</summary>
internal static class TopologyDeclarer
{
    public static async Task DeclareWorkerAsync(IChannel channel, string worker, CancellationToken cancellationToken)
    {
        await channel.ExchangeDeclareAsync(Topology.Exchange, ExchangeType.Direct, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        await channel.ExchangeDeclareAsync(Topology.DeadLetterExchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(Topology.DeadLetterQueue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(Topology.DeadLetterQueue, Topology.DeadLetterExchange, routingKey: "", cancellationToken: cancellationToken);

        var queue = Topology.QueueFor(worker);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: Topology.WorkerQueueArguments(), cancellationToken: cancellationToken);
        await channel.QueueBindAsync(queue, Topology.Exchange, routingKey: worker, cancellationToken: cancellationToken);
    }
}

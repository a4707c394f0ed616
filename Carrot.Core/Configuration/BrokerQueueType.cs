namespace Carrot.Configuration;

/// <summary>The kind of RabbitMQ queue each worker gets (the <c>queueType</c> setting).</summary>
internal enum BrokerQueueType
{
    /// <summary>One node holds the queue; message priorities 0..9 (<c>x-max-priority</c>).</summary>
    Classic,

    /// <summary>Replicated over the cluster's nodes (Raft), survives the loss of a minority of them; no priorities.</summary>
    Quorum,
}

using Carrot.Configuration;

namespace Carrot.Messaging;

/// <summary>
/// The broker objects Carrot uses, declared the same way by every process (a queue re-declared with other
/// arguments is an error): a durable direct exchange, one durable queue per worker bound by the worker's name,
/// and a dead-letter exchange and queue for messages that cannot even be parsed. With <c>queueType: quorum</c> both
/// queues are quorum queues (a classic dead-letter queue would live on one node, and its declare fails while that
/// node is down); quorum queues take no <c>x-max-priority</c>, and no <c>x-delivery-limit</c> is set: the claim
/// in the database, not a broker counter, decides whether a task runs again.
/// </summary>
internal static class Topology
{
    public const string Exchange = "carrot";
    public const string DeadLetterExchange = "carrot.dlx";
    public const string DeadLetterQueue = "carrot.dead";

    /// <summary>Priorities 0..9 (RabbitMQ classic-queue priorities; quorum queues on 3.10 have none).</summary>
    public const byte MaxPriority = 9;

    public static string QueueFor(string worker) => $"carrot.{worker}";

    public static Dictionary<string, object?> WorkerQueueArguments(BrokerQueueType type) => type == BrokerQueueType.Quorum
        ? new()
        {
            ["x-queue-type"] = "quorum",
            ["x-dead-letter-exchange"] = DeadLetterExchange,
        }
        : new()
        {
            ["x-max-priority"] = (int)MaxPriority,
            ["x-dead-letter-exchange"] = DeadLetterExchange,
        };

    public static Dictionary<string, object?>? DeadLetterQueueArguments(BrokerQueueType type) =>
        type == BrokerQueueType.Quorum ? new() { ["x-queue-type"] = "quorum" } : null;
}

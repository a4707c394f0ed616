using Carrot.Configuration;
using Carrot.Errors;

namespace Carrot.Messaging;

/// <summary>
/// What a task's priority may be, for every producer (a single or bulk enqueue, the CLI, a schedule): 0 to 9 on
/// classic queues; on quorum queues only 0, since RabbitMQ's quorum queues have no message priorities (3.10 refuses
/// <c>x-max-priority</c>) and a priority that silently did nothing would be worse than a refusal.
/// </summary>
internal static class PriorityRule
{
    public static void Check(int priority, BrokerQueueType queueType)
    {
        if (priority is < 0 or > Topology.MaxPriority)
        {
            throw new CarrotInputException($"Priority {priority} is out of range; use 0 (lowest, the default) to {Topology.MaxPriority} (highest).");
        }

        if (priority > 0 && queueType == BrokerQueueType.Quorum)
        {
            throw new CarrotInputException(
                $"Priority {priority} needs classic queues, and queueType is quorum: quorum queues have no message priorities. Leave the priority out (0), or give urgent tasks a worker of their own (carrot workers add urgent) so they never wait behind the others.");
        }
    }
}

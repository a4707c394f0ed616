using RabbitMQ.Client;

namespace Carrot.Daemon.Consuming;

/// <summary>
/// A message copied out of the client's buffer (reused once the handler returns), with the channel it came on: a
/// delivery tag means something only on its own channel, so a delivery whose channel closed is never settled on
/// its replacement (the broker has requeued it already). The redelivered flag is not kept: only the claim decides
/// whether a task runs.
/// </summary>
internal sealed record Delivery(ulong Tag, byte[] Body, IChannel Channel);

namespace Carrot.Daemon.Consuming;

/// <summary>A message copied out of the client's buffer (reused once the handler returns). The redelivered flag is
/// not kept: only the claim decides whether a task runs.</summary>
internal sealed record Delivery(ulong Tag, byte[] Body);

namespace Carrot.Daemon.Consuming;

/// <summary>A message copied out of the client's buffer (which is reused once the handler returns).</summary>
internal sealed record Delivery(ulong Tag, byte[] Body, bool Redelivered);

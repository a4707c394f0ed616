using System.Collections.Concurrent;

namespace Carrot.Daemon.Consuming;

/// <summary>
/// The tasks this daemon holds a claim on, from the committed claim until their outcome or hand-back is committed.
/// The heartbeat renews exactly these leases: a row that somehow stayed running without being held here expires
/// and is rescued, instead of being renewed forever.
/// </summary>
internal sealed class HeldTasks
{
    private readonly ConcurrentDictionary<long, byte> _ids = new();

    public IReadOnlyCollection<long> Ids => _ids.Keys.ToList();

    public void Hold(long taskId) => _ids[taskId] = 0;

    public void Release(long taskId) => _ids.TryRemove(taskId, out _);
}

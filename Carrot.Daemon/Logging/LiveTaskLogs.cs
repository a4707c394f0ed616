using System.Collections.Concurrent;

namespace Carrot.Daemon.Logging;

/// <summary>The buffers of the attempts running now, for the live log writer; a buffer leaves once its outcome took it.</summary>
internal sealed class LiveTaskLogs
{
    private readonly ConcurrentDictionary<TaskLogBuffer, byte> _buffers = new(ReferenceEqualityComparer.Instance);

    public void Add(TaskLogBuffer buffer) => _buffers.TryAdd(buffer, 0);

    /// <summary>The open buffers; closed ones are dropped on the way.</summary>
    public IReadOnlyList<TaskLogBuffer> Open()
    {
        var open = new List<TaskLogBuffer>(_buffers.Count);
        foreach (var buffer in _buffers.Keys)
        {
            if (buffer.IsClosed)
            {
                _buffers.TryRemove(buffer, out _);
            }
            else
            {
                open.Add(buffer);
            }
        }

        return open;
    }
}

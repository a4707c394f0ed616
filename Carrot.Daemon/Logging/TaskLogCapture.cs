namespace Carrot.Daemon.Logging;

/// <summary>
/// Which task's buffer the current async flow writes to. Everything the task's code logs (through
/// <c>TaskContext.Log</c>, an injected <c>ILogger</c>, or the console) lands in its own task's buffer, even with
/// many tasks running at once, because the buffer travels with the async flow. Every buffer entered is also
/// listed in <see cref="Live"/>, for the live log writer.
/// </summary>
internal sealed class TaskLogCapture
{
    private readonly AsyncLocal<TaskLogBuffer?> _current = new();

    public TaskLogBuffer? Current => _current.Value;

    /// <summary>The buffers of the attempts running now.</summary>
    public LiveTaskLogs Live { get; } = new();

    /// <summary>Sets the buffer for the flow that calls this; child tasks and continuations inherit it.</summary>
    public void Enter(TaskLogBuffer buffer)
    {
        _current.Value = buffer;
        Live.Add(buffer);
    }
}

using Serilog.Context;
using Serilog.Core;
using Serilog.Events;

namespace Carrot.Daemon.Logging;

/// <summary>Which task and attempt a buffer's lines belong to, read from Serilog's log context in the task's own flow.</summary>
internal sealed record LiveTaskIdentity(long TaskId, int Attempt)
{
    public static LiveTaskIdentity? FromLogContext()
    {
        var probe = new LogEvent(DateTimeOffset.UnixEpoch, LogEventLevel.Information, null, MessageTemplate.Empty, []);
        LogContext.Clone().Enrich(probe, ScalarFactory.Instance);
        return probe.Properties.TryGetValue("TaskId", out var id) && id is ScalarValue { Value: long taskId }
            && probe.Properties.TryGetValue("Attempt", out var attempt) && attempt is ScalarValue { Value: int number }
            ? new LiveTaskIdentity(taskId, number)
            : null;
    }

    private sealed class ScalarFactory : ILogEventPropertyFactory
    {
        public static readonly ScalarFactory Instance = new();

        public LogEventProperty CreateProperty(string name, object? value, bool destructureObjects = false) => new(name, new ScalarValue(value));
    }
}

using Carrot.Logging;
using Serilog.Events;

namespace Carrot.Daemon.Logging;

/// <summary>
/// <c>TaskContext.Log</c>: writes through Serilog, so the line reaches the daemon's own log (the journal) and,
/// through <see cref="TaskLogSink"/>, the task's stored lines.
/// </summary>
internal sealed class TaskLog(Serilog.ILogger logger) : ITaskLog
{
    public void Log(TaskLogLevel level, string message) =>
        logger.Write(level switch
        {
            TaskLogLevel.Debug => LogEventLevel.Debug,
            TaskLogLevel.Information => LogEventLevel.Information,
            TaskLogLevel.Warning => LogEventLevel.Warning,
            _ => LogEventLevel.Error,
        }, "{TaskMessage:l}", message);
}

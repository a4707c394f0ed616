using Carrot.Logging;
using Serilog.Events;

namespace Carrot.Daemon.Logging;

/// <summary>
/// <c>TaskContext.Log</c>: writes through Serilog, so the line reaches the task's stored lines through
/// <see cref="TaskLogSink"/>, and the daemon's own log (the journal) only with <c>taskLogToJournal</c> (<see cref="JournalFilter"/>).
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

using Carrot.Logging;
using Carrot.Storage;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace Carrot.Daemon.Logging;

/// <summary>Copies log events written inside a task's flow into that task's buffer.</summary>
internal sealed class TaskLogSink(TaskLogCapture capture) : ILogEventSink
{
    // ":l" renders string values as they are, not quoted as Serilog does by default.
    private readonly MessageTemplateTextFormatter _formatter = new("{Message:l}", System.Globalization.CultureInfo.InvariantCulture);

    public void Emit(LogEvent logEvent)
    {
        if (capture.Current is not { } buffer)
        {
            return;
        }

        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        _formatter.Format(logEvent, writer);
        var message = writer.ToString();
        if (logEvent.Exception is { } exception)
        {
            message += Environment.NewLine + exception;
        }

        // Serilog took the ids of the span current where the event was made.
        buffer.Add(ToLevel(logEvent.Level), message, new TaskLogTrace(logEvent.TraceId?.ToHexString(), logEvent.SpanId?.ToHexString()));
    }

    private static TaskLogLevel ToLevel(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose or LogEventLevel.Debug => TaskLogLevel.Debug,
        LogEventLevel.Information => TaskLogLevel.Information,
        LogEventLevel.Warning => TaskLogLevel.Warning,
        _ => TaskLogLevel.Error,
    };
}

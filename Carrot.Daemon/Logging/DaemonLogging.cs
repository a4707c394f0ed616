using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace Carrot.Daemon.Logging;

/// <summary>
/// Serilog for the daemon: plain lines to the real standard output (the journal adds its own timestamps under
/// systemd, so none are written there), and every event from inside a task's flow into that task's log lines
/// (and to the standard output too only when <paramref name="journal"/> lets it through).
/// </summary>
internal static class DaemonLogging
{
    /// <param name="levels">Starts at Information; set from the configuration's logLevel once it is read.</param>
    public static Logger Create(TextWriter standardOutput, TaskLogCapture capture, LoggingLevelSwitch levels, JournalFilter journal)
    {
        var underSystemd = Environment.GetEnvironmentVariable("INVOCATION_ID") is not null;
        var template = underSystemd
            ? "{Level:u3} {Message:lj}{NewLine}{Exception}"
            : "{Timestamp:yyyy-MM-dd HH:mm:ss.fff} {Level:u3} {Message:lj}{NewLine}{Exception}";
        return new LoggerConfiguration()
            .MinimumLevel.ControlledBy(levels)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .WriteTo.Logger(output => output
                .Filter.ByExcluding(journal.Excludes)
                .WriteTo.Sink(new StandardOutputSink(standardOutput, new MessageTemplateTextFormatter(template, System.Globalization.CultureInfo.InvariantCulture))))
            .WriteTo.Sink(new TaskLogSink(capture))
            .CreateLogger();
    }
}

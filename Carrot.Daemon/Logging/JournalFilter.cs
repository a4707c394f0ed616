using Serilog.Events;

namespace Carrot.Daemon.Logging;

/// <summary>
/// Keeps the lines tasks log out of carrotd's own output (the journal) unless <c>taskLogToJournal</c> asks for
/// them: they are stored with the task, and a chatty task would flood the journal and crowd out the daemon's own
/// lines. A line is a task's when it is logged inside a task's flow, the same test <see cref="TaskLogSink"/> uses.
/// </summary>
internal sealed class JournalFilter(TaskLogCapture capture)
{
    /// <summary>Set once the configuration is read; until then (and by default) task lines stay out.</summary>
    public bool IncludeTaskLines { get; set; }

    public bool Excludes(LogEvent logEvent) => !IncludeTaskLines && capture.Current is not null;
}

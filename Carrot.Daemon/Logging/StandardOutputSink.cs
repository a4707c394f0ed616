using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace Carrot.Daemon.Logging;

/// <summary>
/// Writes to the process's real standard output, captured before <see cref="TaskConsoleWriter"/> replaced
/// <c>Console.Out</c>; a console sink would write into a running task's captured lines.
/// </summary>
internal sealed class StandardOutputSink(TextWriter output, ITextFormatter formatter) : ILogEventSink
{
    private readonly Lock _gate = new();

    public void Emit(LogEvent logEvent)
    {
        lock (_gate)
        {
            formatter.Format(logEvent, output);
            output.Flush();
        }
    }
}

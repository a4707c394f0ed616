using System.Diagnostics;
using System.Text;
using Carrot.Logging;
using Carrot.Storage;

namespace Carrot.Daemon.Logging;

/// <summary>
/// Replaces <c>Console.Out</c> and <c>Console.Error</c>: text written from inside a task's flow becomes that
/// task's log lines; anything else passes through to the real stream. Text is handed on as spans, never copied
/// whole, so that a huge write is cut by <see cref="TaskLogBuffer"/> as it streams.
/// </summary>
internal sealed class TaskConsoleWriter(TextWriter inner, TaskLogCapture capture, TaskLogLevel level) : TextWriter
{
    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value) => Write([value]);

    public override void Write(string? value) => Write(value.AsSpan());

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Write(ReadOnlySpan<char> buffer)
    {
        if (capture.Current is { } taskLog)
        {
            taskLog.AppendText(level, buffer, TaskLogTrace.Of(Activity.Current));
        }
        else
        {
            inner.Write(buffer);
        }
    }

    public override void WriteLine(string? value) => WriteLine(value.AsSpan());

    public override void WriteLine(ReadOnlySpan<char> buffer)
    {
        Write(buffer);
        Write('\n');
    }

    public override void WriteLine() => Write('\n');

    public override void Flush() => inner.Flush();
}

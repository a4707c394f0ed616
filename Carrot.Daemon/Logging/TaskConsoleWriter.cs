using System.Text;
using Carrot.Logging;

namespace Carrot.Daemon.Logging;

/// <summary>
/// Replaces <c>Console.Out</c> and <c>Console.Error</c>: text written from inside a task's flow becomes that
/// task's log lines; anything else passes through to the real stream.
/// </summary>
internal sealed class TaskConsoleWriter(TextWriter inner, TaskLogCapture capture, TaskLogLevel level) : TextWriter
{
    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value) => Write(value.ToString());

    public override void Write(string? value)
    {
        if (capture.Current is { } buffer)
        {
            buffer.AppendText(level, value ?? "");
        }
        else
        {
            inner.Write(value);
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void WriteLine(string? value) => Write(value + "\n");

    public override void WriteLine() => Write("\n");

    public override void Flush() => inner.Flush();
}

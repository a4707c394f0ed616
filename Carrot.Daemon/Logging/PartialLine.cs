using System.Text;
using Carrot.Lifecycle;
using Carrot.Storage;

namespace Carrot.Daemon.Logging;

/// <summary>
/// A console line still being written. Only its first <c>maxChars</c> characters are held; the rest is counted,
/// so a task that writes 64 MiB without a newline costs the daemon one line's worth of memory, not 64 MiB.
/// </summary>
internal sealed class PartialLine(int maxChars)
{
    private readonly StringBuilder _start = new();
    private long _length;
    private bool _endsWithCarriageReturn;

    public bool IsEmpty => _length == 0;

    /// <summary>The span current when the line's last text (or its newline) was written.</summary>
    public TaskLogTrace Trace { get; private set; }

    public void Append(ReadOnlySpan<char> text, TaskLogTrace trace)
    {
        Trace = trace;
        if (text.IsEmpty)
        {
            return;
        }

        var room = maxChars - _start.Length;
        if (room > 0)
        {
            _start.Append(text[..Math.Min(room, text.Length)]);
        }

        _length += text.Length;
        _endsWithCarriageReturn = text[^1] == '\r';
    }

    /// <summary>The line, cut to <c>maxChars</c> with a note of its whole length when it was longer; then starts afresh.</summary>
    /// <param name="endOfLine">It ended with a newline, so a '\r' before it (Windows line ends) is not part of it.</param>
    public string Take(bool endOfLine)
    {
        if (endOfLine && _endsWithCarriageReturn)
        {
            _length--;
            if (_start.Length > _length)
            {
                _start.Length = (int)_length;
            }
        }

        var line = TextLimit.Cut(_start.ToString(), _length, maxChars);
        _start.Clear();
        _length = 0;
        _endsWithCarriageReturn = false;
        return line;
    }
}

using System.Text;
using Carrot.Kallables.RunnerProtocol;
using Carrot.Logging;

namespace Carrot.Runner;

/// <summary>
/// Console.Out and Console.Error of the runner: text goes to carrotd as written, which splits it into lines and
/// bounds them (the same buffer as in-process tasks). Large writes are sent in pieces, so one huge
/// <c>Console.Write</c> never becomes one huge frame.
/// </summary>
internal sealed class FrameTextWriter(FrameChannel channel, TaskLogLevel level) : TextWriter
{
    private const int MaxChunkChars = 64 * 1024;

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value) => Send(value.ToString());

    public override void Write(string? value) => Send(value);

    public override void Write(char[] buffer, int index, int count) => Send(new string(buffer, index, count));

    public override void Write(ReadOnlySpan<char> buffer) => Send(new string(buffer));

    public override void WriteLine(string? value) => Send(value + "\n");

    public override void WriteLine() => Send("\n");

    private void Send(string? text)
    {
        for (var start = 0; text is not null && start < text.Length; start += MaxChunkChars)
        {
            var piece = text.Substring(start, Math.Min(MaxChunkChars, text.Length - start));
            channel.Send(RunnerTracing.Stamped(new RunnerFrame(RunnerFrame.TextKind) { Level = level.ToString(), Text = piece }));
        }
    }
}

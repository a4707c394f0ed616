using Carrot.Kallables.RunnerProtocol;

namespace Carrot.Runner;

/// <summary>
/// The runner's half of the pipe to carrotd (its real standard output). Frames come from the task's threads (log
/// lines, console text) and from the loop (results), so each is written whole under one lock and flushed at once:
/// a line reaches carrotd as it is written, and a runner that dies has lost nothing it already wrote.
/// </summary>
internal sealed class FrameChannel(Stream output)
{
    private readonly Lock _gate = new();

    public void Send(RunnerFrame frame)
    {
        var bytes = RunnerFrames.Encode(frame);
        lock (_gate)
        {
            output.Write(bytes);
            output.Flush();
        }
    }
}

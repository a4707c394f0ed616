using Carrot.Kallables.RunnerProtocol;
using Carrot.Logging;

namespace Carrot.Runner;

/// <summary><c>TaskContext.Log</c> in a runner: each line goes to carrotd as it is written, with the span it was written in.</summary>
internal sealed class FrameTaskLog(FrameChannel channel) : ITaskLog
{
    public void Log(TaskLogLevel level, string message) =>
        channel.Send(RunnerTracing.Stamped(new RunnerFrame(RunnerFrame.LogKind) { Level = level.ToString(), Text = message }));
}

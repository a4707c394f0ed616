using Carrot.Kallables.RunnerProtocol;
using Carrot.Logging;

namespace Carrot.Runner;

/// <summary><c>TaskContext.Log</c> in a runner: each line goes to carrotd as it is written.</summary>
internal sealed class FrameTaskLog(FrameChannel channel) : ITaskLog
{
    public void Log(TaskLogLevel level, string message) =>
        channel.Send(new RunnerFrame(RunnerFrame.LogKind) { Level = level.ToString(), Text = message });
}

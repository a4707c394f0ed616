using Carrot.Logging;
using Carrot.Records;

namespace Carrot.Cli.Output.Views;

/// <summary>A captured log line in <c>tasks show --logs --json</c>.</summary>
internal sealed record TaskLogView(DateTimeOffset At, int Attempt, TaskLogLevel Level, string Message)
{
    public static TaskLogView From(TaskLogLine line) => new(line.At, line.Attempt, line.Level, line.Message);
}

using Carrot.Logging;

namespace Carrot.Records;

/// <summary>A line the task wrote while it ran (through <see cref="Tasks.TaskContext"/>, an injected logger, or the console).</summary>
public sealed record TaskLogLine(long TaskId, int Attempt, DateTimeOffset At, TaskLogLevel Level, string Message);

using Carrot.Logging;

namespace Carrot.Records;

/// <summary>A line the task wrote while it ran (through <see cref="Tasks.TaskContext"/>, an injected logger, or the console).</summary>
/// <param name="TaskId">The task.</param>
/// <param name="Attempt">The attempt that wrote it.</param>
/// <param name="At">When it was written.</param>
/// <param name="Level">How important it is.</param>
/// <param name="Message">The line.</param>
public sealed record TaskLogLine(long TaskId, int Attempt, DateTimeOffset At, TaskLogLevel Level, string Message);

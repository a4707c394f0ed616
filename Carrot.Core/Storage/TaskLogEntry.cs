using Carrot.Logging;

namespace Carrot.Storage;

/// <summary>A line captured while a task ran, before it is stored, with the span it was written in.</summary>
internal sealed record TaskLogEntry(DateTimeOffset At, TaskLogLevel Level, string Message, TaskLogTrace Trace = default);

using Carrot.Configuration;

namespace Carrot.Daemon.Logging;

/// <summary>How much of a task's log one attempt keeps: the longest line (maxLogLineChars) and the most lines (maxLogLinesPerAttempt).</summary>
internal sealed record TaskLogLimits(int MaxLineChars, int MaxLines)
{
    public static readonly TaskLogLimits Default = From(new CarrotOptions());

    public static TaskLogLimits From(CarrotOptions options) => new(options.MaxLogLineChars, options.MaxLogLinesPerAttempt);
}

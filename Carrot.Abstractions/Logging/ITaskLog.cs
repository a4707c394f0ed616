namespace Carrot.Logging;

/// <summary>The task's own log. Kept free of logging packages so a task library needs nothing but this assembly.</summary>
public interface ITaskLog
{
    /// <summary>Writes one line at <paramref name="level"/>; it is stored with the task's attempt and goes to the daemon's log.</summary>
    void Log(TaskLogLevel level, string message);

    /// <summary>Writes one line at <see cref="TaskLogLevel.Debug"/>.</summary>
    void LogDebug(string message) => Log(TaskLogLevel.Debug, message);

    /// <summary>Writes one line at <see cref="TaskLogLevel.Information"/>.</summary>
    void LogInformation(string message) => Log(TaskLogLevel.Information, message);

    /// <summary>Writes one line at <see cref="TaskLogLevel.Warning"/>.</summary>
    void LogWarning(string message) => Log(TaskLogLevel.Warning, message);

    /// <summary>Writes one line at <see cref="TaskLogLevel.Error"/>.</summary>
    void LogError(string message) => Log(TaskLogLevel.Error, message);
}

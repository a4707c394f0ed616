namespace Carrot.Logging;

/// <summary>The task's own log. Kept free of logging packages so a task library needs nothing but this assembly.</summary>
public interface ITaskLog
{
    void Log(TaskLogLevel level, string message);

    void LogDebug(string message) => Log(TaskLogLevel.Debug, message);

    void LogInformation(string message) => Log(TaskLogLevel.Information, message);

    void LogWarning(string message) => Log(TaskLogLevel.Warning, message);

    void LogError(string message) => Log(TaskLogLevel.Error, message);
}

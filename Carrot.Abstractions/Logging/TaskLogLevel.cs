namespace Carrot.Logging;

/// <summary>How important a line of a task's log is; stored with the line.</summary>
public enum TaskLogLevel
{
    /// <summary>Detail for whoever debugs the task.</summary>
    Debug,
    /// <summary>The normal course of the task.</summary>
    Information,
    /// <summary>Something unexpected that the task got past.</summary>
    Warning,
    /// <summary>Something that went wrong.</summary>
    Error,
}

namespace Carrot.Logging;

public enum TaskLogLevel
{
    Debug,
    Information,
    Warning,
    Error,
}

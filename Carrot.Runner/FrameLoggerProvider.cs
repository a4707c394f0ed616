using Carrot.Logging;
using Microsoft.Extensions.Logging;

namespace Carrot.Runner;

/// <summary>Where an injected <c>ILogger&lt;T&gt;</c> writes in a runner: carrotd's task log, like <c>TaskContext.Log</c>.</summary>
internal sealed class FrameLoggerProvider(FrameTaskLog log) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new FrameLogger(log);

    public void Dispose()
    {
    }

    private sealed class FrameLogger(FrameTaskLog log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            log.Log(logLevel switch
            {
                LogLevel.Trace or LogLevel.Debug => TaskLogLevel.Debug,
                LogLevel.Information => TaskLogLevel.Information,
                LogLevel.Warning => TaskLogLevel.Warning,
                _ => TaskLogLevel.Error,
            }, exception is null ? message : $"{message}{Environment.NewLine}{exception}");
        }
    }
}

using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace Carrot.Tests.Unit;

/// <summary>A Serilog sink that keeps every event, for tests that check what the daemon logs and how often.</summary>
internal sealed class CollectingSink : ILogEventSink
{
    private readonly Lock _gate = new();
    private readonly List<LogEvent> _events = [];

    public IReadOnlyList<LogEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    public Serilog.ILogger Logger() => new Serilog.LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(this).CreateLogger();

    public void Emit(LogEvent logEvent)
    {
        lock (_gate)
        {
            _events.Add(logEvent);
        }
    }

    /// <summary>The messages logged at <paramref name="level"/>, rendered as carrotd's output renders them (strings unquoted).</summary>
    public IReadOnlyList<string> Lines(LogEventLevel level) => Events.Where(e => e.Level == level).Select(Render).ToList();

    public static string Render(LogEvent logEvent)
    {
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        new MessageTemplateTextFormatter("{Message:lj}", System.Globalization.CultureInfo.InvariantCulture).Format(logEvent, writer);
        return writer.ToString();
    }
}

using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Carrot.Diagnostics.Telemetry;

namespace Carrot.Tests.Observability;

/// <summary>Collects the "Carrot" meter's measurements through a real <see cref="MeterListener"/>.</summary>
internal sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, string? Unit, double Value, Dictionary<string, object?> Tags)> _measurements = new();

    public MetricRecorder()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == CarrotTelemetry.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Add(i, value, tags));
        _listener.SetMeasurementEventCallback<double>((i, value, tags, _) => Add(i, value, tags));
        _listener.Start();
    }

    /// <summary>The measurements of one instrument whose tags include the kallable given (other tests use others).</summary>
    public IReadOnlyList<(string? Unit, double Value, Dictionary<string, object?> Tags)> Of(string instrument, string kallable) =>
        _measurements.Where(m => m.Instrument == instrument && m.Tags.TryGetValue("carrot.task.kallable", out var k) && (string?)k == kallable)
            .Select(m => (m.Unit, m.Value, m.Tags)).ToList();

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        _measurements.Enqueue((instrument.Name, instrument.Unit, value, copy));
    }
}

using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Carrot.Diagnostics.Telemetry;

namespace Carrot.Daemon.Telemetry;

/// <summary>
/// The "Carrot" meter in Prometheus' text format (0.0.4), named as OpenTelemetry's Prometheus compatibility rules say:
/// dots become underscores, a unit of seconds adds <c>_seconds</c>, a counter adds <c>_total</c>; tags become labels.
/// Counters and histograms are summed here from a <see cref="MeterListener"/> since the daemon started (cumulative,
/// as Prometheus expects); gauges are read at each scrape.
/// </summary>
internal sealed class PrometheusExposition : IDisposable
{
    // The buckets of every histogram, in seconds: a fast task is milliseconds, a slow one minutes.
    private static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, ConcurrentDictionary<string, Series>> _series = new();
    private readonly SemaphoreSlim _scrape = new(1, 1);

    public PrometheusExposition()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == CarrotTelemetry.MeterName)
            {
                _series.TryAdd(instrument, new ConcurrentDictionary<string, Series>(StringComparer.Ordinal));
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    public async Task<string> RenderAsync(CancellationToken cancellationToken)
    {
        await _scrape.WaitAsync(cancellationToken);
        try
        {
            // Gauges: forget the last scrape's values (a worker that went away leaves no stale series), then read now.
            foreach (var (instrument, series) in _series)
            {
                if (IsGauge(instrument))
                {
                    series.Clear();
                }
            }

            _listener.RecordObservableInstruments();
            var text = new StringBuilder();
            foreach (var (instrument, series) in _series.OrderBy(s => s.Key.Name, StringComparer.Ordinal))
            {
                Write(text, instrument, series);
            }

            return text.ToString();
        }
        finally
        {
            _scrape.Release();
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
        _scrape.Dispose();
    }

    private static bool IsGauge(Instrument instrument) => instrument.GetType().Name.StartsWith("ObservableGauge", StringComparison.Ordinal);

    private static bool IsHistogram(Instrument instrument) => instrument.GetType().Name.StartsWith("Histogram", StringComparison.Ordinal);

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!_series.TryGetValue(instrument, out var series))
        {
            return;
        }

        var labels = Labels(tags);
        var cell = series.GetOrAdd(labels, _ => new Series(IsHistogram(instrument) ? new long[Buckets.Length] : null));
        lock (cell)
        {
            if (IsGauge(instrument))
            {
                cell.Sum = value;
            }
            else
            {
                cell.Sum += value;
            }

            cell.Count++;
            if (cell.Buckets is { } counts)
            {
                for (var i = 0; i < Buckets.Length; i++)
                {
                    if (value <= Buckets[i])
                    {
                        counts[i]++;
                    }
                }
            }
        }
    }

    private static void Write(StringBuilder text, Instrument instrument, ConcurrentDictionary<string, Series> series)
    {
        var name = instrument.Name.Replace('.', '_') + (instrument.Unit == "s" ? "_seconds" : "");
        var type = IsHistogram(instrument) ? "histogram" : IsGauge(instrument) ? "gauge" : "counter";
        var exposed = type == "counter" ? name + "_total" : name;
        text.Append("# HELP ").Append(exposed).Append(' ').Append(instrument.Description?.Replace('\n', ' ')).Append('\n');
        text.Append("# TYPE ").Append(exposed).Append(' ').Append(type).Append('\n');
        foreach (var (labels, cell) in series.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            lock (cell)
            {
                if (cell.Buckets is { } counts)
                {
                    for (var i = 0; i < Buckets.Length; i++)
                    {
                        Sample(text, name + "_bucket", Join(labels, $"le=\"{Buckets[i].ToString(CultureInfo.InvariantCulture)}\""), counts[i]);
                    }

                    Sample(text, name + "_bucket", Join(labels, "le=\"+Inf\""), cell.Count);
                    Sample(text, name + "_sum", labels, cell.Sum);
                    Sample(text, name + "_count", labels, cell.Count);
                }
                else
                {
                    Sample(text, exposed, labels, cell.Sum);
                }
            }
        }
    }

    private static void Sample(StringBuilder text, string name, string labels, double value)
    {
        text.Append(name);
        if (labels.Length > 0)
        {
            text.Append('{').Append(labels).Append('}');
        }

        text.Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
    }

    private static string Join(string labels, string more) => labels.Length == 0 ? more : labels + "," + more;

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return "";
        }

        var pairs = new List<string>(tags.Length);
        foreach (var tag in tags)
        {
            var value = Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? "";
            pairs.Add($"{tag.Key.Replace('.', '_')}=\"{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\"");
        }

        pairs.Sort(StringComparer.Ordinal);
        return string.Join(',', pairs);
    }

    /// <summary>One labelled series: a counter's sum, a gauge's value, or a histogram's buckets, sum and count.</summary>
    private sealed class Series(long[]? buckets)
    {
        public double Sum { get; set; }

        public long Count { get; set; }

        public long[]? Buckets { get; } = buckets;
    }
}

using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Carrot.Diagnostics.Telemetry;

/// <summary>
/// The names an application gives its OpenTelemetry set-up to receive Carrot's signals:
/// <c>.AddSource(CarrotTelemetry.SourceName)</c> for traces and <c>.AddMeter(CarrotTelemetry.MeterName)</c> for metrics.
/// </summary>
public static class CarrotTelemetry
{
    /// <summary>The <see cref="ActivitySource"/> of the enqueue (producer) and process (consumer) spans.</summary>
    public const string SourceName = "Carrot";

    /// <summary>The <see cref="Meter"/> of the task counters, histograms and gauges.</summary>
    public const string MeterName = "Carrot";

    /// <summary>Carrot's version, as the source and meter report it.</summary>
    public static string Version { get; } =
        typeof(CarrotTelemetry).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    // One source for the process: listeners subscribe by name, so a second instance would only duplicate spans.
    internal static ActivitySource Source { get; } = new(SourceName, Version);
}

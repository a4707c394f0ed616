using System.Diagnostics.Metrics;

namespace Carrot.Diagnostics.Telemetry;

/// <summary>Where the gauges read their values: a snapshot kept fresh off the collection path (a gauge callback cannot wait for a database).</summary>
internal interface ITaskGaugeSource
{
    IEnumerable<Measurement<long>> Queued();

    IEnumerable<Measurement<long>> Running();

    long RelayBacklog();
}

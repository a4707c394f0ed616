namespace Carrot.Configuration;

/// <summary>
/// The <c>"otlp"</c> section: where carrotd sends traces and metrics over OTLP. <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// (and the SDK's other standard variables) turn export on as well, and override these values.
/// </summary>
public sealed class OtlpSettings
{
    /// <summary>The collector, such as <c>http://127.0.0.1:4318</c>; null or empty: no export (unless the variables say so).</summary>
    public string? Endpoint { get; set; }

    /// <summary><c>grpc</c> (the SDK's default) or <c>http/protobuf</c>.</summary>
    public string? Protocol { get; set; }

    /// <summary>
    /// More <c>ActivitySource</c> names to export besides "Carrot" (wildcards allowed), so the spans task code makes
    /// (<c>System.Net.Http</c>, <c>Npgsql</c>…) reach the collector with their process span as parent.
    /// </summary>
    public IList<string> Sources { get; set; } = [];
}

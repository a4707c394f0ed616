using Carrot.Configuration;
using Carrot.Daemon.Hosting;
using Carrot.Diagnostics.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Carrot.Daemon.Telemetry;

/// <summary>
/// OTLP export of the "Carrot" source and meter through the OpenTelemetry SDK, configured the standard way: the
/// <c>OTEL_EXPORTER_OTLP_*</c> variables (endpoint, protocol, headers, timeout), <c>OTEL_SERVICE_NAME</c>,
/// <c>OTEL_RESOURCE_ATTRIBUTES</c> and <c>OTEL_METRIC_EXPORT_INTERVAL</c> are read by the SDK itself; the
/// <c>"otlp"</c> section of the configuration file supplies an endpoint and protocol when no variable does.
/// </summary>
internal sealed class OtlpExport : IDisposable
{
    private static readonly string[] EndpointVariables =
        ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"];

    private readonly TracerProvider _tracer;
    private readonly MeterProvider _meter;

    private OtlpExport(TracerProvider tracer, MeterProvider meter)
    {
        _tracer = tracer;
        _meter = meter;
    }

    /// <summary>Null when neither a variable nor the file names an endpoint (no export, and no SDK cost).</summary>
    public static OtlpExport? Start(OtlpSettings settings, DaemonIdentity identity, Func<string, string?> environment)
    {
        var fromEnvironment = EndpointVariables.Any(v => !string.IsNullOrWhiteSpace(environment(v)));
        var fileEndpoint = string.IsNullOrWhiteSpace(settings.Endpoint) ? null : ParseEndpoint(settings.Endpoint);
        if (!fromEnvironment && fileEndpoint is null)
        {
            return null;
        }

        var protocol = ParseProtocol(settings.Protocol);
        void Configure(OtlpExporterOptions options, string signalPath)
        {
            if (fromEnvironment || fileEndpoint is null)
            {
                return;
            }

            options.Protocol = protocol ?? options.Protocol;
            // Set in code, the endpoint is used as given: OTLP/HTTP wants the signal's path (the variable gets it added).
            options.Endpoint = options.Protocol == OtlpExportProtocol.HttpProtobuf
                ? new Uri(fileEndpoint, fileEndpoint.AbsolutePath.TrimEnd('/') + signalPath)
                : fileEndpoint;
        }

        var resource = ResourceBuilder.CreateDefault();
        if (string.IsNullOrWhiteSpace(environment("OTEL_SERVICE_NAME")))
        {
            resource.AddService("carrotd", serviceVersion: CarrotTelemetry.Version, serviceInstanceId: identity.Id);
        }

        var tracer = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource([CarrotTelemetry.SourceName, .. settings.Sources])
            .AddOtlpExporter(o => Configure(o, "/v1/traces"))
            .Build();
        var meter = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(CarrotTelemetry.MeterName)
            .AddOtlpExporter(o => Configure(o, "/v1/metrics"))
            .Build();
        return new OtlpExport(tracer, meter);
    }

    /// <summary>Flushes what is buffered (the last spans and a final metrics export) and stops.</summary>
    public void Dispose()
    {
        _tracer.Dispose();
        _meter.Dispose();
    }

    private static Uri ParseEndpoint(string text) =>
        Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new Errors.CarrotConfigurationException($"\"otlp\": {{\"endpoint\": \"{text}\"}} is not an http:// or https:// address; use for example \"http://127.0.0.1:4318\".");

    private static OtlpExportProtocol? ParseProtocol(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "grpc" => OtlpExportProtocol.Grpc,
        "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
        _ => throw new Errors.CarrotConfigurationException($"\"otlp\": {{\"protocol\": \"{text}\"}} is not known; use \"grpc\" or \"http/protobuf\"."),
    };
}

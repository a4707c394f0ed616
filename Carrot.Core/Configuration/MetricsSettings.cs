namespace Carrot.Configuration;

/// <summary>The <c>"metrics"</c> section: where carrotd serves <c>/metrics</c> for Prometheus.</summary>
public sealed class MetricsSettings
{
    /// <summary>
    /// <c>host:port</c> to listen on, such as <c>127.0.0.1:9464</c>; null or empty: no endpoint. An address other than
    /// loopback needs <see cref="Token"/>.
    /// </summary>
    public string? Listen { get; set; }

    /// <summary>A bearer token the scraper must send (<c>Authorization: Bearer TOKEN</c>); required off loopback.</summary>
    public string? Token { get; set; }
}

using System.Globalization;
using System.Net;
using Carrot.Configuration;
using Carrot.Errors;

namespace Carrot.Daemon.Telemetry;

/// <summary>The <c>"metrics": {"listen": "host:port"}</c> setting, checked at start: loopback unless a token guards it.</summary>
internal sealed record MetricsListenAddress(string Host, int Port, bool IsLoopback)
{
    /// <summary>The HttpListener prefix for this address.</summary>
    public string Prefix => $"http://{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port.ToString(CultureInfo.InvariantCulture)}/";

    /// <summary>Null when no endpoint is configured; a bad or unguarded address is a configuration error.</summary>
    public static MetricsListenAddress? From(MetricsSettings settings)
    {
        if (string.IsNullOrWhiteSpace(settings.Listen))
        {
            return null;
        }

        var text = settings.Listen.Trim();
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new CarrotConfigurationException($"\"metrics\": {{\"listen\": \"{text}\"}} is not host:port; use for example \"127.0.0.1:9464\".");
        }

        var host = text[..colon].Trim('[', ']');
        var loopback = host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
        if (!loopback && string.IsNullOrEmpty(settings.Token))
        {
            throw new CarrotConfigurationException($"\"metrics\": {{\"listen\": \"{text}\"}} is not a loopback address, and no \"token\" guards it; set \"metrics\": {{\"token\": \"...\"}} (scrapers send 'Authorization: Bearer TOKEN'), or listen on 127.0.0.1.");
        }

        return new MetricsListenAddress(host, port, loopback);
    }
}

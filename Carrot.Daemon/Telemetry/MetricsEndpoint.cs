using System.Security.Cryptography;
using System.Text;

namespace Carrot.Daemon.Telemetry;

/// <summary>
/// The <c>/metrics</c> handler, apart from any listener: the "Carrot" meter in Prometheus' text format (<see cref="PrometheusExposition"/>), and who may
/// read it. <see cref="MetricsListenerService"/> serves it on its own address; a web host (the monitor) can serve the
/// same instance on its own listener with <see cref="IsAuthorized"/> and <see cref="WriteAsync"/>.
/// </summary>
internal sealed class MetricsEndpoint : IDisposable
{
    public const string Path = "/metrics";
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly PrometheusExposition _exposition = new();
    private readonly byte[]? _token;

    /// <param name="token">The bearer token scrapers must send; null lets any caller read (loopback only, checked at start).</param>
    public MetricsEndpoint(string? token)
    {
        _token = string.IsNullOrEmpty(token) ? null : Encoding.UTF8.GetBytes(token);
    }

    /// <summary>Whether a request with this <c>Authorization</c> header may read the metrics.</summary>
    public bool IsAuthorized(string? authorization)
    {
        if (_token is null)
        {
            return true;
        }

        const string Scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Constant time: the comparison must not tell a caller how much of a guess was right.
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(authorization[Scheme.Length..].Trim()), _token);
    }

    public async Task WriteAsync(Stream body, CancellationToken cancellationToken) =>
        await body.WriteAsync(Encoding.UTF8.GetBytes(await _exposition.RenderAsync(cancellationToken)), cancellationToken);

    public void Dispose() => _exposition.Dispose();
}

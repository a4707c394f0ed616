using Carrot.Client;
using Carrot.Configuration;
using Carrot.Daemon.Telemetry;
using Carrot.Monitor.Hosting;
using Microsoft.Extensions.Hosting;

namespace Carrot.Daemon.Hosting;

/// <summary>
/// Serves the web monitor from carrotd when the configuration has a "monitor" section (checked before the host
/// starts, see <see cref="DaemonServices"/>). It acts through a <see cref="CarrotClient"/> of its own, as the CLI does.
/// An address that is taken is logged and the daemon goes on running tasks without its monitor. It serves carrotd's
/// <c>/metrics</c> as well.
/// </summary>
internal sealed class MonitorHostService(MonitorSettings settings, CarrotOptions options, MetricsEndpoint metrics, Serilog.ILogger logger) : IHostedService, IAsyncDisposable
{
    private CarrotClient? _client;
    private CarrotMonitorServer? _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _client = await CarrotClient.CreateAsync(options, cancellationToken);
        // /metrics on the monitor's listener too, behind the monitor's own authentication.
        _server = CarrotMonitorServer.Create(_client, settings, async http =>
        {
            http.Response.ContentType = MetricsEndpoint.ContentType;
            await metrics.WriteAsync(http.Response.Body, http.RequestAborted);
        });
        try
        {
            await _server.StartAsync(cancellationToken);
            logger.Information("Monitor on {Address:l}{PathBase:l} ({Access:l})", _server.Address.ToString().TrimEnd('/'), settings.PathBase + "/", settings.HasCredentials ? "credentials required" : "loopback, no credentials");
        }
        catch (IOException e)
        {
            logger.Error("The monitor cannot listen on {Listen}: {Reason}; carrotd runs without it. Free the port or change monitor.listen", settings.Listen, e.Message);
            await DisposeAsync();
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is { } server)
        {
            await server.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is { } server)
        {
            _server = null;
            await server.DisposeAsync();
        }

        if (_client is { } client)
        {
            _client = null;
            await client.DisposeAsync();
        }
    }
}

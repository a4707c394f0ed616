using System.Net;
using Carrot.Client;
using Carrot.Monitor.Data;
using Carrot.Monitor.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Carrot.Monitor.Hosting;

/// <summary>
/// The monitor on a Kestrel server of its own, as carrotd (with a <c>"monitor"</c> section) and <c>carrot monitor</c> serve
/// it: the settings checked first (a non-loopback address without credentials refuses to start), then the pages and
/// API under <see cref="MonitorSettings.PathBase"/>, acting through the given client.
/// </summary>
public sealed class CarrotMonitorServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();

    private CarrotMonitorServer(WebApplication app)
    {
        _app = app;
    }

    /// <summary>Where it listens, once started (the real port when the settings asked for port 0).</summary>
    public Uri Address { get; private set; } = new("http://127.0.0.1/");

    /// <summary>
    /// Checks the settings and builds the server (nothing listens yet). A bad setting is a <see cref="Errors.CarrotConfigurationException"/>.
    /// <paramref name="metrics"/>, when given, answers <c>GET /metrics</c> on the same listener, behind the same authentication
    /// (carrotd's Prometheus exposition, so a scraper needs no second address).
    /// </summary>
    public static CarrotMonitorServer Create(CarrotClient client, MonitorSettings settings, RequestDelegate? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(settings);
        var endpoint = settings.Validate();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ApplicationName = typeof(CarrotMonitorServer).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(endpoint);
        });
        var app = builder.Build();
        var server = new CarrotMonitorServer(app);
        var pathBase = settings.PathBase.TrimEnd('/');
        if (pathBase.Length > 0)
        {
            app.UsePathBase(pathBase);
        }

        var authentication = new MonitorAuthentication(settings);
        app.Use(authentication.InvokeAsync);
        app.UseRouting();
        if (metrics is not null)
        {
            app.MapGet("/metrics", metrics);
        }

        var monitor = new MonitorContext("", _ => ValueTask.FromResult(client), new CarrotMonitorOptions(), server._stopping.Token);
        CarrotMonitorEndpointExtensions.Map(app, monitor);
        return server;
    }

    /// <summary>Starts listening; throws when the address is taken.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _app.StartAsync(cancellationToken);
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is not null)
        {
            Address = new Uri(address.Replace("[::]", "[::1]", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
        }
    }

    /// <summary>Waits until <paramref name="cancellationToken"/> fires, then stops.</summary>
    public async Task RunUntilAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }

        await StopAsync();
    }

    /// <summary>Stops listening; bulk actions under way stop after their current task.</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync(CancellationToken.None);
    }

    /// <summary>Stops and releases the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }
}

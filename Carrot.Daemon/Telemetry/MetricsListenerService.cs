using System.Net;
using Microsoft.Extensions.Hosting;

namespace Carrot.Daemon.Telemetry;

/// <summary>
/// <c>/metrics</c> on its own listener (<c>"metrics": {"listen": ...}</c>), for a daemon that serves no other HTTP.
/// A scrape that fails is answered and logged; it never stops the daemon.
/// </summary>
internal sealed class MetricsListenerService(MetricsListenAddress address, MetricsEndpoint endpoint, Serilog.ILogger logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var listener = new HttpListener();
        listener.Prefixes.Add(address.Prefix);
        try
        {
            listener.Start();
        }
        catch (HttpListenerException e)
        {
            logger.Error("Cannot serve metrics on {Prefix}: {Reason}; fix \"metrics\": {{\"listen\"}} (is the port taken?)", address.Prefix, e.Message);
            return;
        }

        logger.Information("Serving Prometheus metrics on {Prefix}metrics", address.Prefix);
        await using var stop = stoppingToken.Register(listener.Stop);
        while (!stoppingToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                // Stopped.
                return;
            }

            await AnswerAsync(context, stoppingToken);
        }
    }

    private async Task AnswerAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        var response = context.Response;
        try
        {
            if (context.Request.Url?.AbsolutePath != MetricsEndpoint.Path || context.Request.HttpMethod is not ("GET" or "HEAD"))
            {
                response.StatusCode = 404;
            }
            else if (!endpoint.IsAuthorized(context.Request.Headers["Authorization"]))
            {
                response.StatusCode = 401;
                response.AddHeader("WWW-Authenticate", "Bearer");
            }
            else
            {
                response.ContentType = MetricsEndpoint.ContentType;
                await endpoint.WriteAsync(response.OutputStream, cancellationToken);
            }
        }
        catch (Exception e) when (e is HttpListenerException or IOException or OperationCanceledException)
        {
            logger.Debug("A metrics scrape ended early: {Reason}", e.Message);
        }
        finally
        {
            try
            {
                response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
                // The scraper is gone.
            }
        }
    }
}

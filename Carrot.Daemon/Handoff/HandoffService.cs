using System.Collections.Concurrent;
using Carrot.Client;
using Carrot.Configuration;
using Carrot.Daemon.Reloading;
using Carrot.Handoff;
using Microsoft.Extensions.Hosting;

namespace Carrot.Daemon.Handoff;

/// <summary>
/// Takes enqueues from <c>carrot enqueue</c> calls on this machine over a Unix socket (<c>enqueueSocket</c>). A CLI
/// call spends most of its time starting: the JIT, the broker handshake, opening the database. carrotd has all of it
/// warm, so a handed-off enqueue costs the caller little more than its own start. The caller gets the same result,
/// errors and exit code as if it had enqueued itself, and enqueues by itself when no carrotd answers here.
/// On stop the socket closes first (callers fall back at once) and enqueues under way are finished.
/// </summary>
internal sealed class HandoffService(CarrotOptions options, KallableCatalogSource catalogs, Serilog.ILogger logger) : BackgroundService
{
    // Enqueues under way when carrotd stops get this long to finish (each is one insert and one confirm).
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(20);

    // Calls served at once; past that, callers wait in the socket's backlog, and after 2 s enqueue by themselves.
    private const int MaxConnections = 64;

    private readonly Serilog.ILogger _logger = logger.ForContext<HandoffService>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (HandoffSocket.PathFor(options) is not { } path)
        {
            if (HandoffSocket.IsOff(options.EnqueueSocket))
            {
                _logger.Information("Enqueue hand-off off (enqueueSocket); carrot calls enqueue by themselves");
            }
            else
            {
                _logger.Warning("Enqueue hand-off off: the socket beside {Database} would be longer than a Unix socket address allows; set enqueueSocket to a shorter path", options.Database);
            }

            return;
        }

        await using var client = await CarrotClient.CreateAsync(options, clock: null, () => catalogs.Current, stoppingToken);
        var (listener, reason) = await HandoffListener.OpenAsync(path, options, stoppingToken);
        if (listener is null)
        {
            _logger.Information("Enqueue hand-off not taken: {Reason}; carrot calls enqueue by themselves", reason);
            return;
        }

        _logger.Information("Taking enqueues from local carrot calls on {Path}", path);
        using var abandon = new CancellationTokenSource();
        var serving = new ConcurrentDictionary<Task, byte>();
        // Not disposed: a finished call releases its slot after the drain below may have ended (no handle is ever made).
        var slots = new SemaphoreSlim(MaxConnections);
        try
        {
            using (listener)
            {
                while (true)
                {
                    await slots.WaitAsync(stoppingToken);
                    var socket = await AcceptAsync(listener, slots, stoppingToken);
                    var connection = Task.Run(() => HandoffConnection.ServeAsync(socket, client, options, _logger, abandon.Token), CancellationToken.None);
                    serving.TryAdd(connection, 0);
                    _ = connection.ContinueWith(
                        done =>
                        {
                            serving.TryRemove(done, out _);
                            slots.Release();
                        },
                        CancellationToken.None,
                        TaskContinuationOptions.ExecuteSynchronously,
                        TaskScheduler.Default);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the socket is closed (and removed) above; the enqueues under way finish below.
        }
        finally
        {
            var drained = Task.WhenAll(serving.Keys);
            if (await Task.WhenAny(drained, Task.Delay(DrainTimeout, CancellationToken.None)) != drained)
            {
                _logger.Warning("{Count} handed-off enqueue(s) did not finish within {Seconds} s of stopping; abandoned (their callers say the outcome is unknown)", serving.Count, DrainTimeout.TotalSeconds);
                await abandon.CancelAsync();
                await drained;
            }
        }
    }

    private static async Task<System.Net.Sockets.Socket> AcceptAsync(HandoffListener listener, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        try
        {
            return await listener.AcceptAsync(cancellationToken);
        }
        catch
        {
            slots.Release();
            throw;
        }
    }
}

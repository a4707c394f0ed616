using Carrot.Configuration;
using Carrot.Errors;
using Carrot.Messaging;
using Carrot.Storage;
using Microsoft.Extensions.Hosting;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Carrot.Daemon.Maintenance;

/// <summary>
/// Finds tasks whose message vanished (a queue purged or deleted, broker state lost): queued in the database,
/// confirmed long ago, while their worker's queue holds no ready message. Those are marked unpublished and
/// the relay sends them again; should a message still exist after all, the claim drops the duplicate.
/// </summary>
internal sealed class ReconcileService(TaskStore tasks, BrokerConnector connector, CarrotOptions options, Serilog.ILogger logger) : BackgroundService
{
    private readonly Serilog.ILogger _logger = logger.ForContext<ReconcileService>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var after = TimeSpan.FromSeconds(options.ReconcileAfterSeconds);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, options.ReconcileAfterSeconds / 4)));
        while (await timer.TickAsync(stoppingToken))
        {
            try
            {
                await ReconcileAsync(after, stoppingToken);
            }
            catch (Exception e) when (e is CarrotStoreException or BrokerUnavailableException or OperationInterruptedException or AlreadyClosedException)
            {
                _logger.Debug("Reconcile skipped: {Reason}", e.Message);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ReconcileAsync(TimeSpan after, CancellationToken cancellationToken)
    {
        var workers = await tasks.ListWorkersWithStaleQueuedAsync(after, cancellationToken);
        if (workers.Count == 0)
        {
            return;
        }

        await using var connection = await connector.ConnectAsync($"carrotd-reconcile:{Environment.ProcessId}", cancellationToken);
        foreach (var worker in workers)
        {
            if (await ReadyMessagesAsync(connection, worker, cancellationToken) > 0)
            {
                continue;
            }

            var count = await tasks.UnpublishStaleAsync(worker, after, cancellationToken);
            if (count > 0)
            {
                _logger.Warning("Queue {Queue} holds no message for {Count} queued task(s); publishing them again", Topology.QueueFor(worker), count);
            }
        }
    }

    private static async Task<uint> ReadyMessagesAsync(IConnection connection, string worker, CancellationToken cancellationToken)
    {
        // A passive declare of a missing queue closes the channel: that is the answer "none".
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            return (await channel.QueueDeclarePassiveAsync(Topology.QueueFor(worker), cancellationToken)).MessageCount;
        }
        catch (OperationInterruptedException)
        {
            return 0;
        }
    }
}

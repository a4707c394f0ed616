using Carrot.Configuration;
using Carrot.Errors;
using Carrot.Messaging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Carrot.Diagnostics;

/// <summary>
/// RabbitMQ: reachable with these credentials and virtual host, the exchange declared, and per worker its queue,
/// how many messages wait there and whether any daemon consumes it, and whether it has the configured queue type.
/// Nothing is created: a queue is declared again with Carrot's arguments only once a passive declare found it.
/// </summary>
internal static class BrokerChecks
{
    private const string Area = "broker";

    public static async Task<IReadOnlyList<DiagnosticCheck>> RunAsync(CarrotOptions options, IReadOnlyList<string>? workers, CancellationToken cancellationToken)
    {
        var connector = new BrokerConnector(options);
        var checks = new List<DiagnosticCheck>();
        IConnection connection;
        try
        {
            connection = await connector.ConnectAsync($"carrot-doctor:{Environment.ProcessId}", cancellationToken, TimeSpan.FromSeconds(3), recovers: false);
        }
        catch (BrokerUnavailableException e)
        {
            checks.Add(DiagnosticCheck.Fail(Area, e.Message, "Start RabbitMQ (systemctl start rabbitmq-server), or fix \"broker\": user, password, host, port and virtual host."));
            return checks;
        }

        await using (connection)
        {
            var node = $"{connection.Endpoint.HostName}:{connection.Endpoint.Port}";
            checks.Add(DiagnosticCheck.Ok(Area, $"connected to {node} of {connector.Redacted} (virtual host '{connector.VirtualHost}', queueType {QueueTypeSetting.Name(connector.QueueType)})"));
            checks.Add(await ExchangeAsync(connection, cancellationToken));
            if (workers is null)
            {
                checks.Add(DiagnosticCheck.Warn(Area, "Worker queues not checked: the database could not be read.", "Fix the database findings above."));
                return checks;
            }

            foreach (var worker in workers)
            {
                checks.Add(await WorkerQueueAsync(connection, worker, connector, cancellationToken));
            }

            var dead = await DepthAsync(connection, Topology.DeadLetterQueue, cancellationToken);
            if (dead is { Messages: > 0 })
            {
                checks.Add(DiagnosticCheck.Warn(Area, $"{dead.Value.Messages} malformed message(s) in {Topology.DeadLetterQueue}.",
                    $"Look at them in the RabbitMQ management UI or with rabbitmqadmin, then purge the queue: rabbitmqctl purge_queue {Topology.DeadLetterQueue} -p VHOST."));
            }
        }

        return checks;
    }

    private static async Task<DiagnosticCheck> ExchangeAsync(IConnection connection, CancellationToken cancellationToken)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            await channel.ExchangeDeclarePassiveAsync(Topology.Exchange, cancellationToken);
            return DiagnosticCheck.Ok(Area, $"exchange '{Topology.Exchange}' exists");
        }
        catch (OperationInterruptedException)
        {
            return DiagnosticCheck.Warn(Area, $"The exchange '{Topology.Exchange}' does not exist in this virtual host.", "carrotd and carrot enqueue declare it: start carrotd, and check that it uses the same broker URI.");
        }
    }

    private static async Task<DiagnosticCheck> WorkerQueueAsync(IConnection connection, string worker, BrokerConnector connector, CancellationToken cancellationToken)
    {
        var queue = Topology.QueueFor(worker);
        var depth = await DepthAsync(connection, queue, cancellationToken);
        if (depth is not { } d)
        {
            return DiagnosticCheck.Warn(Area, $"Worker {worker}: the queue {queue} does not exist.", "carrotd declares it when it starts consuming the worker: start carrotd (its workers poll picks new workers up within seconds).");
        }

        if (await TypeMismatchAsync(connection, worker, connector, cancellationToken) is { } mismatch)
        {
            return DiagnosticCheck.Fail(Area, $"Worker {worker}: {mismatch}", $"Move the queue to queueType {QueueTypeSetting.Name(connector.QueueType)} as the line says, or set queueType back.");
        }

        var summary = $"worker {worker}: {queue} has {d.Messages} message(s) waiting, {d.Consumers} consumer(s)";
        return d.Consumers > 0
            ? DiagnosticCheck.Ok(Area, summary)
            : DiagnosticCheck.Warn(Area, summary + ": no carrotd consumes it.", "Start carrotd (systemctl start carrotd); its tasks wait until then.");
    }

    // The queue exists (a passive declare found it), so declaring it with Carrot's arguments creates nothing; RabbitMQ
    // answers 406 when the existing queue has other ones, which is how a classic/quorum mismatch shows.
    private static async Task<string?> TypeMismatchAsync(IConnection connection, string worker, BrokerConnector connector, CancellationToken cancellationToken)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            await channel.QueueDeclareAsync(Topology.QueueFor(worker), durable: true, exclusive: false, autoDelete: false,
                arguments: Topology.WorkerQueueArguments(connector.QueueType), cancellationToken: cancellationToken);
            return null;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 406)
        {
            return TopologyDeclarer.Mismatch(Topology.QueueFor(worker), connector.QueueType, connector.VirtualHost, connector.Reply(e));
        }
    }

    private static async Task<(uint Messages, uint Consumers)?> DepthAsync(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        // A passive declare of a missing queue closes the channel, so each gets its own.
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            var ok = await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
            return (ok.MessageCount, ok.ConsumerCount);
        }
        catch (OperationInterruptedException)
        {
            return null;
        }
    }
}

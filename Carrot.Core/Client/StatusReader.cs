using Carrot.Errors;
using Carrot.Messaging;
using Carrot.Records;
using Carrot.Storage;
using Carrot.Tasks;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Carrot.Client;

/// <summary>Gathers <c>carrot status</c>: the database answers for daemons and counts, the broker for queue depths.</summary>
internal sealed class StatusReader(TaskStore tasks, WorkerStore workers, DaemonStore daemons, BrokerConnector connector, TimeSpan aliveWithin)
{
    public async Task<CarrotStatus> ReadAsync(CancellationToken cancellationToken)
    {
        // The broker's handshake takes longer than the database reads: start it first and read meanwhile.
        var connecting = ConnectAsync(cancellationToken);
        IReadOnlyList<DaemonRecord> alive;
        IReadOnlyList<WorkerRecord> workerList;
        IReadOnlyDictionary<(string Worker, TaskState State), long> counts;
        try
        {
            alive = await daemons.ListAliveAsync(aliveWithin, cancellationToken);
            workerList = await workers.ListAsync(cancellationToken);
            counts = await tasks.CountByWorkerAndStateAsync(cancellationToken);
        }
        catch
        {
            if ((await connecting).Connection is { } unused)
            {
                await unused.DisposeAsync();
            }

            throw;
        }

        var (depths, brokerError) = await ReadDepthsAsync(await connecting, workerList.Select(w => w.Name).ToList(), cancellationToken);

        // Workers that were removed but still have history are listed too.
        var names = workerList.Select(w => w.Name).Concat(counts.Keys.Select(k => k.Worker)).Distinct().Order(StringComparer.Ordinal);
        var stats = names.Select(name => (Name: name, Worker: workerList.FirstOrDefault(w => w.Name == name))).Select(n => new WorkerStats(
            n.Name,
            n.Worker?.Concurrency ?? 0,
            Enum.GetValues<TaskState>().ToDictionary(s => s, s => counts.GetValueOrDefault((n.Name, s))),
            depths.TryGetValue(n.Name, out var depth) ? depth : null,
            n.Worker?.Paused ?? false)
        {
            Isolation = n.Worker?.Isolation ?? WorkerIsolation.InProcess,
            RunnerMaxTasks = n.Worker?.RunnerMaxTasks,
            RunnerMaxMemoryMiB = n.Worker?.RunnerMaxMemoryMiB,
        }).ToList();
        return new CarrotStatus(alive, stats, brokerError);
    }

    private async Task<(IConnection? Connection, string? Error)> ConnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await connector.ConnectAsync($"carrot-status:{Environment.ProcessId}", cancellationToken, TimeSpan.FromSeconds(2), recovers: false), null);
        }
        catch (BrokerUnavailableException e)
        {
            return (null, e.Message);
        }
    }

    private static async Task<(Dictionary<string, long> Depths, string? Error)> ReadDepthsAsync((IConnection? Connection, string? Error) broker, IReadOnlyList<string> workerNames, CancellationToken cancellationToken)
    {
        var depths = new Dictionary<string, long>();
        if (broker.Connection is not { } connection)
        {
            return (depths, broker.Error);
        }

        await using (connection)
        {
            IChannel? channel = null;
            try
            {
                foreach (var worker in workerNames)
                {
                    // A passive declare of a missing queue closes the channel: only then is a new one opened.
                    channel ??= await connection.CreateChannelAsync(cancellationToken: cancellationToken);
                    try
                    {
                        depths[worker] = await channel.MessageCountAsync(Topology.QueueFor(worker), cancellationToken);
                    }
                    catch (OperationInterruptedException)
                    {
                        depths[worker] = 0;
                        await channel.DisposeAsync();
                        channel = null;
                    }
                }
            }
            finally
            {
                if (channel is not null)
                {
                    await channel.DisposeAsync();
                }
            }

            return (depths, null);
        }
    }
}

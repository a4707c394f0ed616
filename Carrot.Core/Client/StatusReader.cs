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
        var alive = await daemons.ListAliveAsync(aliveWithin, cancellationToken);
        var workerList = await workers.ListAsync(cancellationToken);
        var counts = await tasks.CountByWorkerAndStateAsync(cancellationToken);
        var (depths, brokerError) = await ReadDepthsAsync(workerList.Select(w => w.Name).ToList(), cancellationToken);

        // Workers that were removed but still have history are listed too.
        var names = workerList.Select(w => w.Name).Concat(counts.Keys.Select(k => k.Worker)).Distinct().Order(StringComparer.Ordinal);
        var stats = names.Select(name => new WorkerStats(
            name,
            workerList.FirstOrDefault(w => w.Name == name)?.Concurrency ?? 0,
            Enum.GetValues<TaskState>().ToDictionary(s => s, s => counts.GetValueOrDefault((name, s))),
            depths.TryGetValue(name, out var depth) ? depth : null,
            workerList.FirstOrDefault(w => w.Name == name)?.Paused ?? false)).ToList();
        return new CarrotStatus(alive, stats, brokerError);
    }

    private async Task<(Dictionary<string, long> Depths, string? Error)> ReadDepthsAsync(IReadOnlyList<string> workerNames, CancellationToken cancellationToken)
    {
        var depths = new Dictionary<string, long>();
        try
        {
            await using var connection = await connector.ConnectAsync($"carrot-status:{Environment.ProcessId}", cancellationToken, TimeSpan.FromSeconds(2));
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
        catch (BrokerUnavailableException e)
        {
            return (depths, e.Message);
        }
    }
}

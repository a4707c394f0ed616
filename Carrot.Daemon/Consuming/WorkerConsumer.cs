using System.Threading.Channels;
using Carrot.Messaging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace Carrot.Daemon.Consuming;

/// <summary>
/// One worker's consumer: one channel, manual acks, prefetch = 2 × concurrency, and exactly concurrency runner
/// loops. A delivery is acked once its claim is committed; the runner count is the hard bound on how many tasks
/// run at once, across broker reconnects and channel replacements too.
/// The runners outlive the channel: when the broker closes it (a consumer timeout, any channel-level error) or
/// cancels the subscription (its queue was deleted), <see cref="RepairAsync"/> declares and subscribes again on a
/// new channel while running tasks carry on; deliveries that came on the old channel are dropped unclaimed (the
/// broker requeued them with it).
/// </summary>
internal sealed class WorkerConsumer : IAsyncDisposable
{
    private readonly string _worker;
    private readonly BrokerChannels _channels;
    private readonly DeliveryProcessor _processor;
    private readonly ShutdownTokens _shutdown;
    private readonly Serilog.ILogger _logger;
    private readonly Channel<Delivery> _deliveries = Channel.CreateUnbounded<Delivery>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly List<(Task Loop, CancellationTokenSource Stop)> _runners = [];
    private readonly HashSet<string> _cancelledByUs = [];
    private ChannelLease? _lease;
    private string? _consumerTag;
    private int _concurrency;
    private volatile bool _lost;
    private volatile bool _paused;

    private WorkerConsumer(string worker, BrokerChannels channels, DeliveryProcessor processor, ShutdownTokens shutdown, Serilog.ILogger logger)
    {
        _worker = worker;
        _channels = channels;
        _processor = processor;
        _shutdown = shutdown;
        _logger = logger.ForContext("Worker", worker);
    }

    public int Concurrency => _runners.Count;

    /// <summary>Not subscribed: running tasks finish, nothing new starts, the queue keeps filling.</summary>
    public bool Paused => _paused;

    /// <summary>
    /// The broker closed this consumer's channel while its connection stays up (automatic recovery covers only
    /// connection failures), or cancelled its subscription: the supervisor calls <see cref="RepairAsync"/>.
    /// </summary>
    public bool NeedsRepair => _lost || _lease is null || (_lease.Channel.IsClosed && _lease.Connection.IsOpen);

    public static async Task<WorkerConsumer> StartAsync(BrokerChannels channels, string worker, int concurrency, bool paused, DeliveryProcessor processor, ShutdownTokens shutdown, Serilog.ILogger logger, CancellationToken cancellationToken)
    {
        var consumer = new WorkerConsumer(worker, channels, processor, shutdown, logger) { _paused = paused, _concurrency = concurrency };
        try
        {
            await consumer.OpenChannelAsync(cancellationToken);
            await consumer.SetConcurrencyAsync(concurrency, cancellationToken);
            return consumer;
        }
        catch
        {
            await consumer.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Changes prefetch and the number of runner loops; a runner that is told to stop finishes its current task first.
    /// A per-consumer prefetch applies only to consumers subscribed after it is set, so the consumer subscribes
    /// again; deliveries not yet acked stay with the channel and are settled there as usual.
    /// </summary>
    public async Task SetConcurrencyAsync(int concurrency, CancellationToken cancellationToken)
    {
        _concurrency = concurrency;
        var channel = CurrentChannel;
        await channel.BasicQosAsync(0, Prefetch(concurrency), global: false, cancellationToken);
        await UnsubscribeAsync(cancellationToken);
        if (!_paused)
        {
            await SubscribeAsync(cancellationToken);
        }

        while (_runners.Count < concurrency)
        {
            var stop = new CancellationTokenSource();
            _runners.Add((Task.Run(() => RunAsync(stop.Token), CancellationToken.None), stop));
        }

        while (_runners.Count > concurrency)
        {
            var (_, stop) = _runners[^1];
            _runners.RemoveAt(_runners.Count - 1);
            await stop.CancelAsync();
        }
    }

    /// <summary>
    /// Pausing cancels the subscription; deliveries already prefetched but not started go back to the queue
    /// (see <see cref="RunAsync"/>). Resuming subscribes again, and the broker hands out the highest priority first.
    /// </summary>
    public async Task SetPausedAsync(bool paused, CancellationToken cancellationToken)
    {
        _paused = paused;
        if (paused)
        {
            await UnsubscribeAsync(cancellationToken);
        }
        else if (_consumerTag is null)
        {
            await SubscribeAsync(cancellationToken);
        }
    }

    /// <summary>A new channel (or, when only the subscription was cancelled, the same one): queue declared, prefetch set, subscribed unless paused.</summary>
    public async Task RepairAsync(CancellationToken cancellationToken)
    {
        var reason = _lost ? "RabbitMQ cancelled its subscription (was its queue deleted?)" : $"RabbitMQ closed its channel ({_lease?.Channel.CloseReason?.ReplyText ?? "no reason given"})";
        _lost = false;
        _consumerTag = null;
        if (_lease is null || _lease.Channel.IsClosed)
        {
            _lease?.Dispose();
            _lease = null;
            await OpenChannelAsync(cancellationToken);
            await CurrentChannel.BasicQosAsync(0, Prefetch(_concurrency), global: false, cancellationToken);
        }
        else
        {
            await TopologyDeclarer.DeclareWorkerAsync(CurrentChannel, _worker, _channels.Connector, cancellationToken);
        }

        if (!_paused)
        {
            await SubscribeAsync(cancellationToken);
        }

        _logger.Warning("Worker {Worker}: {Reason}; consuming again on a fresh subscription, running tasks carry on", _worker, reason);
    }

    /// <summary>Stops new deliveries and waits for the running tasks to end (the supervisor decides how long).</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        if (_consumerTag is not null && _lease is { Channel.IsOpen: true } lease)
        {
            _cancelledByUs.Add(_consumerTag);
            try
            {
                await lease.Channel.BasicCancelAsync(_consumerTag, noWait: false, cancellationToken);
            }
            catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException)
            {
                // The channel is gone; its deliveries are back in the queue already.
            }
        }

        foreach (var (_, stop) in _runners)
        {
            await stop.CancelAsync();
        }

        await Task.WhenAll(_runners.Select(r => r.Loop)).WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, stop) in _runners)
        {
            await stop.CancelAsync();
            stop.Dispose();
        }

        _deliveries.Writer.TryComplete();
        if (_lease is not null)
        {
            try
            {
                // Closing the channel returns every delivery not yet claimed to the queue.
                await _lease.Channel.CloseAsync();
            }
            catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException or IOException)
            {
                _logger.Debug("Channel of worker {Worker} was already closed", _worker);
            }

            _lease.Dispose();
        }
    }

    private IChannel CurrentChannel => _lease?.Channel ?? throw new AlreadyClosedException(new ShutdownEventArgs(ShutdownInitiator.Library, 0, "The worker's channel is not open."));

    // Twice the concurrency: while a runner's claim commits, it already has its next delivery. Runners, not
    // prefetch, bound how many tasks run.
    private static ushort Prefetch(int concurrency) => (ushort)Math.Min(concurrency * 2, ushort.MaxValue);

    private async Task OpenChannelAsync(CancellationToken cancellationToken)
    {
        var lease = await _channels.OpenAsync(cancellationToken);
        try
        {
            lease.Channel.ChannelShutdownAsync += OnChannelShutdownAsync;
            await TopologyDeclarer.DeclareWorkerAsync(lease.Channel, _worker, _channels.Connector, cancellationToken);
        }
        catch
        {
            lease.Dispose();
            throw;
        }

        _lease = lease;
    }

    private Task OnChannelShutdownAsync(object sender, ShutdownEventArgs e)
    {
        if (e.Initiator == ShutdownInitiator.Peer && e.ReplyCode != Constants.ConnectionForced)
        {
            _logger.Warning("RabbitMQ closed the channel of worker {Worker}: {Code} {Reason}", _worker, e.ReplyCode, e.ReplyText);
        }

        return Task.CompletedTask;
    }

    private async Task SubscribeAsync(CancellationToken cancellationToken)
    {
        var channel = CurrentChannel;
        var basicConsumer = new AsyncEventingBasicConsumer(channel);
        basicConsumer.ReceivedAsync += (_, e) =>
        {
            _deliveries.Writer.TryWrite(new Delivery(e.DeliveryTag, e.Body.ToArray(), channel));
            return Task.CompletedTask;
        };
        basicConsumer.UnregisteredAsync += (_, e) => OnUnregisteredAsync(channel, e);
        _consumerTag = await channel.BasicConsumeAsync(Topology.QueueFor(_worker), autoAck: false, basicConsumer, cancellationToken);
    }

    private async Task UnsubscribeAsync(CancellationToken cancellationToken)
    {
        if (_consumerTag is not null)
        {
            _cancelledByUs.Add(_consumerTag);
            await CurrentChannel.BasicCancelAsync(_consumerTag, noWait: false, cancellationToken);
            _consumerTag = null;
        }
    }

    private Task OnUnregisteredAsync(IChannel channel, ConsumerEventArgs e)
    {
        // A channel that is closing (broker shutdown, lost connection) is recovery's business, not a cancel.
        if (channel.IsOpen && !e.ConsumerTags.Any(_cancelledByUs.Contains))
        {
            _lost = true;
            _logger.Warning("RabbitMQ cancelled the consumer of worker {Worker} (was its queue deleted?); it will be declared and consumed again", _worker);
        }

        return Task.CompletedTask;
    }

    private async Task RunAsync(CancellationToken stop)
    {
        // The previous task's outcome, committed together with this runner's next claim.
        var recording = Task.CompletedTask;
        while (!stop.IsCancellationRequested)
        {
            Delivery delivery;
            try
            {
                delivery = await _deliveries.Reader.ReadAsync(stop);
            }
            catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
            {
                break;
            }

            if (delivery.Channel.IsClosed)
            {
                // Its channel is gone and the broker requeued it; its tag means nothing on the replacement.
                continue;
            }

            if (_paused)
            {
                // Prefetched before the pause: not started, so back to the queue for after the resume.
                await SettleAsync(delivery, AckDecision.Requeue);
                continue;
            }

            try
            {
                var admission = await _processor.AdmitAsync(delivery, _worker, _shutdown);
                await recording;
                recording = Task.CompletedTask;
                await SettleAsync(delivery, admission.Decision);
                if (admission.Claim is null)
                {
                    await admission.DisposeAsync();
                    continue;
                }

                recording = await _processor.RunAsync(admission, _shutdown);
            }
            catch (OperationCanceledException) when (_shutdown.Abandon.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // The loop outlives any one delivery. A message that cannot even be claimed is set aside where an
                // operator sees it (carrot doctor counts dead letters); the database still has the task.
                _logger.Error("Could not take a delivery on worker {Worker} ({Reason}); dead-lettering the message", _worker, e.Message);
                await SettleAsync(delivery, AckDecision.DeadLetter);
            }
        }

        await recording;
    }

    private async Task SettleAsync(Delivery delivery, AckDecision decision)
    {
        try
        {
            switch (decision)
            {
                case AckDecision.Ack:
                    await delivery.Channel.BasicAckAsync(delivery.Tag, multiple: false);
                    break;
                case AckDecision.DeadLetter:
                    await delivery.Channel.BasicRejectAsync(delivery.Tag, requeue: false);
                    break;
                case AckDecision.Requeue:
                    await delivery.Channel.BasicNackAsync(delivery.Tag, multiple: false, requeue: true);
                    break;
            }
        }
        catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException or IOException)
        {
            // The broker requeued this delivery when the channel went; the claim is committed, so the redelivery
            // finds nothing to claim and is acked then.
            _logger.Information("Could not settle delivery {Tag} on worker {Worker} ({Reason}); the broker will redeliver it and the duplicate will be dropped", delivery.Tag, _worker, e.Message);
        }
    }
}

using System.Threading.Channels;
using Carrot.Messaging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace Carrot.Daemon.Consuming;

/// <summary>
/// One worker's consumer: one channel, manual acks, prefetch = 2 × concurrency, and exactly concurrency runner
/// loops. A delivery is acked only after its outcome is committed; the runner count is the hard bound on how
/// many tasks run at once, across broker reconnects too.
/// </summary>
internal sealed class WorkerConsumer : IAsyncDisposable
{
    private readonly string _worker;
    private readonly IChannel _channel;
    private readonly DeliveryProcessor _processor;
    private readonly ShutdownTokens _shutdown;
    private readonly Serilog.ILogger _logger;
    private readonly Channel<Delivery> _deliveries = Channel.CreateUnbounded<Delivery>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly List<(Task Loop, CancellationTokenSource Stop)> _runners = [];
    private readonly HashSet<string> _cancelledByUs = [];
    private string? _consumerTag;
    private volatile bool _lost;
    private volatile bool _paused;

    private WorkerConsumer(string worker, IChannel channel, DeliveryProcessor processor, ShutdownTokens shutdown, Serilog.ILogger logger)
    {
        _worker = worker;
        _channel = channel;
        _processor = processor;
        _shutdown = shutdown;
        _logger = logger.ForContext("Worker", worker);
    }

    public int Concurrency => _runners.Count;

    /// <summary>Not subscribed: running tasks finish, nothing new starts, the queue keeps filling.</summary>
    public bool Paused => _paused;

    /// <summary>The broker cancelled the subscription (its queue was deleted): the supervisor replaces this consumer.</summary>
    public bool IsLost => _lost;

    public static async Task<WorkerConsumer> StartAsync(IConnection connection, string worker, int concurrency, bool paused, DeliveryProcessor processor, ShutdownTokens shutdown, Serilog.ILogger logger, CancellationToken cancellationToken)
    {
        var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var consumer = new WorkerConsumer(worker, channel, processor, shutdown, logger) { _paused = paused };
        try
        {
            await TopologyDeclarer.DeclareWorkerAsync(channel, worker, cancellationToken);
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
    /// again; deliveries not yet acked stay with the channel and are acked there as usual.
    /// </summary>
    public async Task SetConcurrencyAsync(int concurrency, CancellationToken cancellationToken)
    {
        // Twice the concurrency: while a finished task's ack waits for its commit, the runner already has its next
        // delivery. Runners, not prefetch, bound how many tasks run.
        await _channel.BasicQosAsync(0, (ushort)Math.Min(concurrency * 2, ushort.MaxValue), global: false, cancellationToken);
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

    /// <summary>Stops new deliveries and waits for the running tasks to end (the supervisor decides how long).</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        if (_consumerTag is not null && _channel.IsOpen)
        {
            _cancelledByUs.Add(_consumerTag);
            try
            {
                await _channel.BasicCancelAsync(_consumerTag, noWait: false, cancellationToken);
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
        try
        {
            // Closing the channel returns every delivery not acked (prefetched or handed back) to the queue.
            await _channel.CloseAsync();
        }
        catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException or IOException)
        {
            _logger.Debug("Channel of worker {Worker} was already closed", _worker);
        }

        _channel.Dispose();
    }

    private async Task SubscribeAsync(CancellationToken cancellationToken)
    {
        var basicConsumer = new AsyncEventingBasicConsumer(_channel);
        basicConsumer.ReceivedAsync += OnReceivedAsync;
        basicConsumer.UnregisteredAsync += OnUnregisteredAsync;
        _consumerTag = await _channel.BasicConsumeAsync(Topology.QueueFor(_worker), autoAck: false, basicConsumer, cancellationToken);
    }

    private async Task UnsubscribeAsync(CancellationToken cancellationToken)
    {
        if (_consumerTag is not null)
        {
            _cancelledByUs.Add(_consumerTag);
            await _channel.BasicCancelAsync(_consumerTag, noWait: false, cancellationToken);
            _consumerTag = null;
        }
    }

    private Task OnReceivedAsync(object sender, BasicDeliverEventArgs e)
    {
        _deliveries.Writer.TryWrite(new Delivery(e.DeliveryTag, e.Body.ToArray()));
        return Task.CompletedTask;
    }

    private Task OnUnregisteredAsync(object sender, ConsumerEventArgs e)
    {
        // A channel that is closing (broker shutdown, lost connection) is recovery's business, not a cancel.
        if (_channel.IsOpen && !e.ConsumerTags.Any(_cancelledByUs.Contains))
        {
            _lost = true;
            _logger.Warning("RabbitMQ cancelled the consumer of worker {Worker} (was its queue deleted?); it will be declared and consumed again", _worker);
        }

        return Task.CompletedTask;
    }

    private async Task RunAsync(CancellationToken stop)
    {
        // The previous task's ack, which waits for its outcome's commit while this runner claims the next task.
        var settling = Task.CompletedTask;
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

            if (_paused)
            {
                // Prefetched before the pause: not started, so back to the queue for after the resume.
                await SettleAsync(delivery, AckDecision.Requeue);
                continue;
            }

            try
            {
                var decided = await _processor.ProcessAsync(delivery, _worker, _shutdown);
                await settling;
                settling = SettleWhenDecidedAsync(delivery, decided);
            }
            catch (OperationCanceledException) when (_shutdown.Abandon.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // The loop outlives any one delivery; the message stays unacked and comes back after a reconnect.
                _logger.Error(e, "Unexpected error handling a delivery on worker {Worker}", _worker);
            }
        }

        await settling;
    }

    private async Task SettleWhenDecidedAsync(Delivery delivery, Task<AckDecision> decided)
    {
        try
        {
            await SettleAsync(delivery, await decided);
        }
        catch (OperationCanceledException) when (_shutdown.Abandon.IsCancellationRequested)
        {
            // Shutdown gave up on the outcome write; the unacked message returns to the queue with the channel.
        }
        catch (Exception e)
        {
            _logger.Error(e, "Unexpected error recording a task outcome on worker {Worker}", _worker);
        }
    }

    private async Task SettleAsync(Delivery delivery, AckDecision decision)
    {
        try
        {
            switch (decision)
            {
                case AckDecision.Ack:
                    await _channel.BasicAckAsync(delivery.Tag, multiple: false);
                    break;
                case AckDecision.DeadLetter:
                    await _channel.BasicRejectAsync(delivery.Tag, requeue: false);
                    break;
                case AckDecision.Requeue:
                    await _channel.BasicNackAsync(delivery.Tag, multiple: false, requeue: true);
                    break;
            }
        }
        catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException or IOException)
        {
            // The broker requeued this delivery when the channel went; the outcome is committed, so the
            // redelivery finds nothing to claim and is acked then.
            _logger.Information("Could not settle delivery {Tag} on worker {Worker} ({Reason}); the broker will redeliver it and the duplicate will be dropped", delivery.Tag, _worker, e.Message);
        }
    }
}

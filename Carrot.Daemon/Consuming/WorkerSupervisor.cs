using System.Globalization;
using Carrot.Client;
using Carrot.Configuration;
using Carrot.Daemon.Isolation;
using Carrot.Errors;
using Carrot.Messaging;
using Carrot.Records;
using Carrot.Storage;
using Microsoft.Extensions.Hosting;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Carrot.Daemon.Consuming;

/// <summary>
/// Keeps one <see cref="WorkerConsumer"/> per row of the workers table: polls the table, starts consumers for
/// new workers, applies concurrency changes, and drains removed ones, so the CLI changes a running daemon within
/// seconds. On shutdown: stop consuming, give running tasks the grace period, then cancel them, and hand back
/// whatever still runs.
/// </summary>
internal sealed class WorkerSupervisor(
    WorkerStore workers,
    BrokerConnector connector,
    DeliveryProcessor processor,
    StoreChanges changes,
    CarrotOptions options,
    WorkerIsolations isolations,
    RunnerPools runnerPools,
    Serilog.ILogger logger) : BackgroundService
{
    private readonly Dictionary<string, WorkerConsumer> _consumers = [];
    private readonly ShutdownTokens _shutdown = new();
    private readonly Serilog.ILogger _logger = logger.ForContext<WorkerSupervisor>();

    // The "workers" setting (null: every worker); names listed but not in the table yet, warned about once.
    private readonly HashSet<string>? _taken = options.Workers is null ? null : new HashSet<string>(options.Workers, StringComparer.Ordinal);
    private readonly HashSet<string> _missing = new(StringComparer.Ordinal);

    // Workers whose consumer could not be started, with the reason last logged.
    private readonly Dictionary<string, string> _failing = new(StringComparer.Ordinal);
    private BrokerChannels? _channels;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        var grace = TimeSpan.FromSeconds(options.ShutdownGraceSeconds);
        _logger.Information("Stopping: no new tasks; {Running} running task(s) get {GraceSeconds} s to finish", processor.RunningCount, grace.TotalSeconds);
        _shutdown.InterruptAfter(grace);
        using var drainLimit = new CancellationTokenSource(grace + TimeSpan.FromSeconds(5));
        try
        {
            await Task.WhenAll(_consumers.Values.Select(c => c.DrainAsync(drainLimit.Token)));
        }
        catch (OperationCanceledException)
        {
            _logger.Warning("{Running} task(s) did not end after their token fired; handing them back", processor.RunningCount);
        }

        _shutdown.AbandonNow();
        await processor.ReleaseAllAsync(CancellationToken.None);
        foreach (var consumer in _consumers.Values)
        {
            await consumer.DisposeAsync();
        }

        _consumers.Clear();
        if (_channels is not null)
        {
            await _channels.DisposeAsync();
        }

        _shutdown.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_taken is null)
        {
            _logger.Information("Taking every worker (no \"workers\" setting)");
        }
        else
        {
            _logger.Information("Taking only workers {Workers} (the \"workers\" setting); other daemons take the rest", string.Join(", ", _taken.Order(StringComparer.Ordinal)));
        }

        var connection = await ConnectAsync(stoppingToken);
        if (connection is null)
        {
            return;
        }

        _channels = new BrokerChannels(connector, ClientName, _logger);
        _channels.Add(connection);

        var poll = TimeSpan.FromSeconds(options.WorkerPollSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SyncAsync(_channels, stoppingToken);
            }
            catch (CarrotStoreException e)
            {
                _logger.Warning("Could not read the workers table: {Reason}", e.Message);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            try
            {
                // Woken early when a worker change is announced (PostgreSQL).
                await changes.Workers.WaitAsync(poll, TimeProvider.System, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task SyncAsync(BrokerChannels channels, CancellationToken cancellationToken)
    {
        var all = await workers.ListAsync(cancellationToken);
        var wanted = all.Where(w => _taken is null || _taken.Contains(w.Name)).ToDictionary(w => w.Name);
        WarnAboutMissing(all);
        foreach (var name in _consumers.Keys.Where(n => !wanted.ContainsKey(n)).ToList())
        {
            var consumer = _consumers[name];
            _consumers.Remove(name);
            isolations.Forget(name);
            runnerPools.Release(name);
            _logger.Information("Worker {Worker} was removed; draining its consumer", name);
            await consumer.DrainAsync(cancellationToken);
            await consumer.DisposeAsync();
        }

        foreach (var worker in wanted.Values)
        {
            if (isolations.LimitsChange(worker))
            {
                _logger.Information(
                    "Worker {Worker} runner limits changed: max tasks {MaxTasks}, max memory {MaxMemoryMiB} MiB (a runner past them is replaced after its task)",
                    worker.Name, worker.RunnerMaxTasks?.ToString(CultureInfo.InvariantCulture) ?? "the daemon's default", worker.RunnerMaxMemoryMiB?.ToString(CultureInfo.InvariantCulture) ?? "the daemon's default");
            }

            // Before its consumer starts, so its first task already runs where the worker says.
            if (isolations.Apply(worker) is { } before)
            {
                _logger.Information("Worker {Worker} isolation changed from {Before} to {Isolation}: tasks that start now run there", worker.Name, before.ToName(), worker.Isolation.ToName());
                if (before == WorkerIsolation.Process)
                {
                    runnerPools.Release(worker.Name);
                }
            }

            try
            {
                await ApplyAsync(channels, worker, cancellationToken);
                if (_failing.Remove(worker.Name))
                {
                    _logger.Information("The consumer of worker {Worker} is up again", worker.Name);
                }
            }
            catch (Exception e) when (e is OperationInterruptedException or AlreadyClosedException or IOException or ChannelAllocationException or BrokerUnavailableException)
            {
                // Retried at every poll; said again only when the reason changes (a queue-type mismatch stays until someone acts).
                var reason = connector.Describe(e);
                if (!_failing.TryGetValue(worker.Name, out var last) || last != reason)
                {
                    _failing[worker.Name] = reason;
                    _logger.Warning("Could not start or update the consumer of worker {Worker}, will retry: {Reason}", worker.Name, reason);
                }
            }
        }
    }

    /// <summary>A listed worker that does not exist is no error (it may be added later): one line until it appears.</summary>
    private void WarnAboutMissing(IReadOnlyList<WorkerRecord> all)
    {
        if (_taken is null)
        {
            return;
        }

        var existing = all.Select(w => w.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in _taken.Order(StringComparer.Ordinal))
        {
            if (existing.Contains(name))
            {
                _missing.Remove(name);
            }
            else if (_missing.Add(name))
            {
                _logger.Warning("Worker {Worker} is in the \"workers\" setting but does not exist; its queue is consumed once it is added (carrot workers add)", name);
            }
        }
    }

    private async Task ApplyAsync(BrokerChannels channels, WorkerRecord worker, CancellationToken cancellationToken)
    {
        if (_consumers.TryGetValue(worker.Name, out var broken) && broken.NeedsRepair)
        {
            // Its runners, and the tasks they run, carry on: their messages were acked at the claim.
            await broken.RepairAsync(cancellationToken);
        }

        if (!_consumers.TryGetValue(worker.Name, out var consumer))
        {
            _consumers[worker.Name] = await WorkerConsumer.StartAsync(channels, worker.Name, worker.Concurrency, worker.Paused, processor, _shutdown, logger, cancellationToken);
            if (worker.Paused)
            {
                _logger.Information("Worker {Worker} is paused; not consuming {Queue}", worker.Name, Topology.QueueFor(worker.Name));
            }
            else
            {
                _logger.Information("Consuming {Queue} for worker {Worker} at concurrency {Concurrency}, isolation {Isolation}", Topology.QueueFor(worker.Name), worker.Name, worker.Concurrency, worker.Isolation.ToName());
            }

            return;
        }

        if (consumer.Paused != worker.Paused)
        {
            await consumer.SetPausedAsync(worker.Paused, cancellationToken);
            _logger.Information("Worker {Worker} {Change}", worker.Name, worker.Paused ? "paused: running tasks finish, nothing new starts" : "resumed");
        }
        if (consumer.Concurrency != worker.Concurrency)
        {
            var before = consumer.Concurrency;
            await consumer.SetConcurrencyAsync(worker.Concurrency, cancellationToken);
            _logger.Information("Worker {Worker} concurrency changed from {Before} to {Concurrency}", worker.Name, before, worker.Concurrency);
        }
    }

    private static string ClientName => $"carrotd:{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>The client's recovery handles later outages; the first connect is retried here until it works.</summary>
    private async Task<IConnection?> ConnectAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var connection = await connector.ConnectAsync(ClientName, cancellationToken);
                _logger.Information("Connected to RabbitMQ at {Broker}", connector.Redacted);
                return connection;
            }
            catch (BrokerUnavailableException e)
            {
                _logger.Warning("{Reason} Retrying in {DelaySeconds} s", e.Message, delay.TotalSeconds);
            }

            try
            {
                await Task.Delay(delay, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return null;
            }

            delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 15));
        }

        return null;
    }
}

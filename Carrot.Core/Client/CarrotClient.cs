using System.Diagnostics;
using System.Text.Json;
using Carrot.Configuration;
using Carrot.Diagnostics.Telemetry;
using Carrot.Errors;
using Carrot.Kallables;
using Carrot.Lifecycle;
using Carrot.Messaging;
using Carrot.Records;
using Carrot.Scheduling;
using Carrot.Storage;
using Carrot.Tasks;

namespace Carrot.Client;

/// <summary>
/// The producer's API (django-carrot's <c>Task.objects.create</c>): enqueue tasks, read them back, manage
/// workers. Enqueue writes the row first and then publishes with a confirm; if the broker is down, the row
/// stays unpublished and a running daemon publishes it later, so a returned task id is never lost.
/// </summary>
public sealed class CarrotClient : IAsyncDisposable
{
    private const int PurgeBatchSize = 500;

    private readonly CarrotOptions _options;
    private readonly TaskStore _tasks;
    private readonly WorkerStore _workers;
    private readonly DaemonStore _daemons;
    private readonly ScheduleStore _schedules;
    private readonly TimeProvider _clock;
    private readonly TaskPublisher _publisher;
    private readonly TaskDispatcher _dispatcher;
    private readonly BrokerConnector _connector;
    // The catalogue enqueues are checked against: loaded on first use, or the daemon's current one (see CreateAsync).
    private readonly Func<KallableCatalog> _catalog;
    private readonly StoreEngine _engine;

    private CarrotClient(CarrotOptions options, StoreEngine engine, TimeProvider clock, Func<KallableCatalog>? catalog)
    {
        _options = options;
        _engine = engine;
        var database = new CarrotDatabase(engine);
        _tasks = new TaskStore(database, clock);
        _workers = new WorkerStore(database, clock);
        _daemons = new DaemonStore(database, clock);
        _schedules = new ScheduleStore(database, clock);
        _clock = clock;
        _connector = new BrokerConnector(options);
        _publisher = new TaskPublisher(_connector, $"carrot-client:{Environment.ProcessId}");
        _dispatcher = new TaskDispatcher(_publisher, _tasks);
        var loaded = new Lazy<KallableCatalog>(() => KallableCatalog.Load(options.TaskAssemblies));
        _catalog = catalog ?? (() => loaded.Value);
    }

    /// <summary>The options this client was created with.</summary>
    public CarrotOptions Options => _options;

    /// <summary>The engine under the client's stores: the web monitor (Carrot.Monitor) reads its own queries through it.</summary>
    internal StoreEngine Engine => _engine;

    /// <summary>The clock the client's stores use (the database's, or a test's).</summary>
    internal TimeProvider Clock => _clock;

    /// <summary>The database as it may be shown: the SQLite path, or the PostgreSQL URI with its password hidden.</summary>
    public string DatabaseDisplay => _engine.Display;

    // How long a finished task keeps its idempotency key (idempotencyWindowSeconds); the clamp keeps a bad setting from overflowing.
    private TimeSpan KeyWindow => TimeSpan.FromSeconds(Math.Clamp(_options.IdempotencyWindowSeconds, 0, DurationLimits.MaxDelay.TotalSeconds));

    // A manual retry's budget when the task asked for none of its own (the daemon applies the kallable's attribute).
    private int DefaultRetries => RetryBudget.Retries(null, null, _options.MaxAttempts);

    /// <summary>Opens the database (creating or migrating it) and returns a client. The broker is contacted on first publish.</summary>
    public static async Task<CarrotClient> CreateAsync(CarrotOptions options, CancellationToken cancellationToken = default) =>
        await CreateAsync(options, clock: null, cancellationToken);

    /// <param name="clock">Null: the database's clock (see <see cref="StoreEngine.Clock"/>); tests pass their own.</param>
    internal static Task<CarrotClient> CreateAsync(CarrotOptions options, TimeProvider? clock, CancellationToken cancellationToken) =>
        CreateAsync(options, clock, catalog: null, cancellationToken);

    /// <param name="catalog">
    /// Null: the task assemblies are loaded on the first enqueue. carrotd passes its current catalogue, so that an
    /// enqueue it takes for a local caller is checked against the code it runs, reloads included.
    /// </param>
    internal static async Task<CarrotClient> CreateAsync(CarrotOptions options, TimeProvider? clock, Func<KallableCatalog>? catalog, CancellationToken cancellationToken)
    {
        var engine = StoreEngine.Create(options);
        try
        {
            await engine.MigrateAsync(cancellationToken);
            return new CarrotClient(options, engine, clock ?? engine.Clock, catalog);
        }
        catch
        {
            await engine.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Validates and records a task, then publishes it. Throws <see cref="CarrotInputException"/> (nothing written)
    /// for bad input. When the broker does not confirm, the result says so and the task waits for a daemon's relay.
    /// A task with a delay or a start time is only recorded, as scheduled; a daemon publishes it when it is due.
    /// </summary>
    public async Task<EnqueueResult> EnqueueAsync(EnqueueRequest request, CancellationToken cancellationToken = default)
    {
        // The broker handshake overlaps validation and the insert; nothing is published before the row commits. The
        // connection opens at once, the queue is declared only once the request passed validation: a refused
        // enqueue leaves no queue behind for a worker that does not exist.
        using var stopPreparing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var publishesNow = request.Delay is null && request.RunAt is null;
        var connecting = publishesNow ? _publisher.PrepareAsync(worker: null, stopPreparing.Token) : Task.CompletedTask;
        var declaring = Task.CompletedTask;
        NewTask task;
        InsertedTask inserted;
        Activity? send = null;
        try
        {
            task = await ValidateAsync(request, cancellationToken);
            declaring = publishesNow ? _publisher.PrepareAsync(task.Worker, stopPreparing.Token) : Task.CompletedTask;
            send = TaskTracing.StartSend(task.Worker, task.TraceParent);
            task = task with { TraceParent = TaskTracing.ContextToStore(send, task.TraceParent) };
            inserted = await _tasks.InsertOrFindAsync(task, KeyWindow, cancellationToken);
        }
        catch
        {
            // Bad input is reported at once, not after a slow broker: the handshake is abandoned (it never throws).
            await stopPreparing.CancelAsync();
            await Task.WhenAll(connecting, declaring);
            send?.Dispose();
            throw;
        }

        using (send)
        {
            await Task.WhenAll(connecting, declaring);
            var id = inserted.Id;
            TaskTracing.TagTask(send, id, task.Kallable);
            if (inserted.Duplicate)
            {
                // The first enqueue with this key recorded it; that enqueue, or a daemon's relay, publishes it.
                return new EnqueueResult(id, Published: false, null) { Duplicate = true };
            }

            CarrotMetrics.Enqueued.Add(1, CarrotMetrics.TaskTags(task.Kallable, task.Worker));
            if (task.RunAt is { } runAt && runAt > _clock.GetUtcNow())
            {
                return new EnqueueResult(id, Published: false, null) { ScheduledFor = runAt };
            }

            var problem = await PublishAsync(new UnpublishedTask(id, task.Worker, task.Priority) { TraceParent = task.TraceParent }, cancellationToken);
            if (problem is not null)
            {
                send?.SetStatus(ActivityStatusCode.Error, problem);
            }

            return new EnqueueResult(id, problem is null, problem);
        }
    }

    /// <summary>
    /// Records a task in the application's own open PostgreSQL transaction (an <c>NpgsqlTransaction</c> on Carrot's
    /// database), as Oban and River do: the task exists if and only if the application's data commits with it, and a
    /// daemon's relay publishes it after the commit. Validated as <see cref="EnqueueAsync(EnqueueRequest, CancellationToken)"/>
    /// (nothing is written on bad input); never published here, since the broker must not ring for a row that may roll back.
    /// </summary>
    public async Task<EnqueueResult> EnqueueAsync(EnqueueRequest request, System.Data.Common.DbTransaction transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var task = await ValidateAsync(request, cancellationToken);
        using var send = TaskTracing.StartSend(task.Worker, task.TraceParent);
        task = task with { TraceParent = TaskTracing.ContextToStore(send, task.TraceParent) };
        var inserted = await _tasks.InsertInTransactionAsync(transaction, task, KeyWindow, cancellationToken);
        TaskTracing.TagTask(send, inserted.Id, task.Kallable);
        if (!inserted.Duplicate)
        {
            CarrotMetrics.Enqueued.Add(1, CarrotMetrics.TaskTags(task.Kallable, task.Worker));
        }

        return new EnqueueResult(inserted.Id, Published: false, null)
        {
            Duplicate = inserted.Duplicate,
            ScheduledFor = task.RunAt is { } runAt && runAt > _clock.GetUtcNow() ? runAt : null,
            InCallersTransaction = !inserted.Duplicate,
        };
    }

    /// <summary>
    /// Validates every request first (a bad one throws <see cref="CarrotInputException"/> with its
    /// <see cref="CarrotInputException.BatchIndex"/>, and nothing is written), records them all in one transaction,
    /// then publishes them with pipelined confirms. Returns one result per request, in order; a task the broker did
    /// not confirm is saved all the same and waits for a daemon's relay, as with <see cref="EnqueueAsync(EnqueueRequest, CancellationToken)"/>.
    /// </summary>
    public async Task<IReadOnlyList<EnqueueResult>> EnqueueManyAsync(IReadOnlyList<EnqueueRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        if (requests.Count == 0)
        {
            return [];
        }

        var workerNames = (await _workers.ListAsync(cancellationToken)).Select(w => w.Name).ToHashSet(StringComparer.Ordinal);
        var validated = new EnqueueValidator(_options, new Lazy<KallableCatalog>(_catalog), workerNames, _clock).Validate(requests);
        // One producer span for the batch; a request with a traceparent of its own keeps it.
        using var send = TaskTracing.StartSend(validated[0].Worker, requestedParent: null, validated.Count);
        var tasks = validated.Select(t => t with { TraceParent = t.TraceParent ?? TaskTracing.ContextToStore(send, null) }).ToList();
        var inserted = await _tasks.InsertOrFindManyAsync(tasks, KeyWindow, cancellationToken);
        var ids = inserted.Select(t => t.Id).ToList();

        var results = new EnqueueResult[ids.Count];
        var now = _clock.GetUtcNow();
        var due = new List<int>(ids.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            if (inserted[i].Duplicate)
            {
                // Its key named an earlier task: that one is returned, and nothing is published for it.
                results[i] = new EnqueueResult(ids[i], Published: false, null) { Duplicate = true };
            }
            else if (tasks[i].RunAt is { } runAt && runAt > now)
            {
                // Scheduled: a daemon publishes it when due.
                results[i] = new EnqueueResult(ids[i], Published: false, null) { ScheduledFor = runAt };
            }
            else
            {
                due.Add(i);
            }

            if (!inserted[i].Duplicate)
            {
                CarrotMetrics.Enqueued.Add(1, CarrotMetrics.TaskTags(tasks[i].Kallable, tasks[i].Worker));
            }
        }

        var report = await _dispatcher.DispatchManyAsync(due.Select(i => new UnpublishedTask(ids[i], tasks[i].Worker, tasks[i].Priority) { TraceParent = tasks[i].TraceParent }).ToList(), cancellationToken);
        for (var d = 0; d < due.Count; d++)
        {
            results[due[d]] = new EnqueueResult(ids[due[d]], report.Errors[d] is null, report.Errors[d]);
        }

        return results;
    }

    /// <summary>Convenience overload: args and kwargs as .NET values, serialized with System.Text.Json.</summary>
    public Task<EnqueueResult> EnqueueAsync(string kallable, object?[]? args = null, object? kwargs = null, string worker = WorkerRecord.DefaultName, int priority = 0, CancellationToken cancellationToken = default) =>
        EnqueueAsync(new EnqueueRequest
        {
            Kallable = kallable,
            Args = JsonSerializer.Serialize(args ?? []),
            Kwargs = kwargs is null ? "{}" : JsonSerializer.Serialize(kwargs),
            Worker = worker,
            Priority = priority,
        }, cancellationToken);

    /// <summary>The task with this id, or null when there is none (never was, or purged).</summary>
    public Task<TaskRecord?> GetTaskAsync(long id, CancellationToken cancellationToken = default) => _tasks.GetAsync(id, cancellationToken);

    /// <summary>How each attempt of the task ended (its error, node and times), oldest first.</summary>
    public Task<IReadOnlyList<TaskAttemptRecord>> GetTaskAttemptsAsync(long id, CancellationToken cancellationToken = default) => _tasks.GetAttemptsAsync(id, cancellationToken);

    /// <summary>
    /// Cancels a task. A queued or scheduled one never starts (returns <see cref="TaskState.Cancelled"/>); for a
    /// running one the daemon running it fires its cancellation token within a second or two (returns
    /// <see cref="TaskState.Running"/>; wait with <see cref="WaitForCompletionAsync"/>). A finished or unknown task
    /// is a <see cref="CarrotInputException"/>.
    /// </summary>
    public async Task<TaskState> CancelTaskAsync(long id, CancellationToken cancellationToken = default)
    {
        if (await _tasks.CancelAsync(id, cancellationToken) is { } state)
        {
            return state;
        }

        var task = await _tasks.GetAsync(id, cancellationToken) ?? throw UnknownTask(id);
        throw new CarrotInputException($"Task {id} already {task.State.ToName()}; there is nothing to cancel.");
    }

    /// <summary>
    /// Runs a failed or cancelled task again, its attempt history kept, with a fresh set of attempts. A task whose
    /// worker no longer exists is refused (<see cref="CarrotInputException"/>): nothing would consume its queue.
    /// </summary>
    public async Task<EnqueueResult> RetryTaskAsync(long id, CancellationToken cancellationToken = default)
    {
        var outcome = await _tasks.RetryAsync(id, worker: null, DefaultRetries, cancellationToken);
        if (outcome.Retried.Count == 0)
        {
            var task = await _tasks.GetAsync(id, cancellationToken) ?? throw UnknownTask(id);
            if (outcome.MissingWorkers.Count > 0)
            {
                throw new CarrotInputException($"Task {id} belongs to worker '{task.Worker}', which no longer exists, so nothing would run it; it was not retried. Add the worker again ('carrot workers add {task.Worker}') first.");
            }

            throw new CarrotInputException($"Task {id} is {task.State.ToName()}; only failed or cancelled tasks can be retried.");
        }

        var problem = await PublishAsync(outcome.Retried[0], cancellationToken);
        return new EnqueueResult(id, problem is null, problem);
    }

    /// <summary>
    /// Runs every failed task (of one worker, or all) again. Returns how many were queued, how many the broker
    /// confirmed, and how many were left failed because their worker no longer exists.
    /// </summary>
    public async Task<(int Retried, int Published, int LeftWithoutWorker)> RetryFailedTasksAsync(string? worker = null, CancellationToken cancellationToken = default)
    {
        var outcome = await _tasks.RetryAsync(id: null, worker, DefaultRetries, cancellationToken);
        var published = 0;
        foreach (var task in outcome.Retried)
        {
            if (await PublishAsync(task, cancellationToken) is null)
            {
                published++;
            }
        }

        return (outcome.Retried.Count, published, outcome.LeftWithoutWorker);
    }

    /// <summary>Deletes finished tasks in the given states that finished before <paramref name="finishedBefore"/>, in small batches. Returns how many.</summary>
    public async Task<long> PurgeTasksAsync(DateTimeOffset finishedBefore, IReadOnlyCollection<TaskState> states, CancellationToken cancellationToken = default)
    {
        foreach (var state in states.Where(s => !s.IsTerminal()))
        {
            throw new CarrotInputException($"Only finished tasks can be purged; '{state.ToName()}' is not succeeded, failed or cancelled.");
        }

        long purged = 0;
        foreach (var state in states)
        {
            int batch;
            do
            {
                batch = await _tasks.PurgeBatchAsync(state, finishedBefore, PurgeBatchSize, cancellationToken);
                purged += batch;
            }
            while (batch == PurgeBatchSize);
        }

        return purged;
    }

    /// <summary>Tasks that match <paramref name="query"/>, newest first.</summary>
    public Task<IReadOnlyList<TaskRecord>> ListTasksAsync(TaskQuery query, CancellationToken cancellationToken = default) => _tasks.ListAsync(query, cancellationToken);

    /// <summary>The lines the task wrote while it ran, every attempt's, oldest first.</summary>
    public Task<IReadOnlyList<TaskLogLine>> GetTaskLogsAsync(long id, CancellationToken cancellationToken = default) => _tasks.GetLogsAsync(id, cancellationToken);

    /// <summary>Waits until the task reaches a terminal state and returns it; throws <see cref="TimeoutException"/> when it does not in time.</summary>
    public async Task<TaskRecord> WaitForCompletionAsync(long id, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        // A wait longer than the calendar holds is a wait without end, not an overflow.
        var now = DateTimeOffset.UtcNow;
        var deadline = timeout >= DateTimeOffset.MaxValue - now ? DateTimeOffset.MaxValue : now + timeout;
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            var task = await _tasks.GetAsync(id, cancellationToken) ?? throw UnknownTask(id);
            if (task.State.IsTerminal())
            {
                return task;
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                throw new TimeoutException($"Task {id} is still {task.State.ToName()} after {timeout.TotalSeconds:0.#} s.");
            }

            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250));
        }
    }

    /// <summary>Every worker, <c>default</c> included, by name.</summary>
    public Task<IReadOnlyList<WorkerRecord>> ListWorkersAsync(CancellationToken cancellationToken = default) => _workers.ListAsync(cancellationToken);

    /// <summary>Adds a worker; a running daemon starts consuming its queue within seconds. A bad name, a concurrency below 1 or an existing name is a <see cref="CarrotInputException"/>.</summary>
    public Task<WorkerRecord> AddWorkerAsync(string name, int concurrency = 1, string description = "", CancellationToken cancellationToken = default)
    {
        WorkerRules.Check(name, concurrency);
        return _workers.AddAsync(name, concurrency, description, cancellationToken);
    }

    /// <summary>Adds a worker whose task code runs where <paramref name="isolation"/> says (see <see cref="WorkerIsolation"/>).</summary>
    public Task<WorkerRecord> AddWorkerAsync(string name, int concurrency, string description, WorkerIsolation isolation, CancellationToken cancellationToken = default)
    {
        WorkerRules.Check(name, concurrency);
        return _workers.AddAsync(name, concurrency, description, isolation, cancellationToken);
    }

    /// <summary>
    /// Adds a worker with recycle limits of its own for its runners (see <see cref="WorkerRecord.RunnerMaxTasks"/>,
    /// <see cref="WorkerRecord.RunnerMaxMemoryMiB"/>; null: the daemon's defaults). A limit out of range is a <see cref="CarrotInputException"/>.
    /// </summary>
    public Task<WorkerRecord> AddWorkerAsync(string name, int concurrency, string description, WorkerIsolation isolation, int? runnerMaxTasks, int? runnerMaxMemoryMiB, CancellationToken cancellationToken = default)
    {
        WorkerRules.Check(name, concurrency);
        RunnerLimits.Check(runnerMaxTasks, runnerMaxMemoryMiB);
        return _workers.AddAsync(name, concurrency, description, isolation, runnerMaxTasks, runnerMaxMemoryMiB, cancellationToken);
    }

    /// <summary>Changes a worker's concurrency or description (null leaves it as it is); running daemons follow within seconds.</summary>
    public Task<WorkerRecord> UpdateWorkerAsync(string name, int? concurrency = null, string? description = null, CancellationToken cancellationToken = default)
    {
        WorkerRules.Check(name, concurrency);
        return _workers.UpdateAsync(name, concurrency, description, cancellationToken);
    }

    /// <summary>
    /// Changes a worker's concurrency, description or isolation (null leaves it as it is); running daemons follow within
    /// seconds, a new isolation for the tasks that start after it (running ones finish where they are).
    /// </summary>
    public Task<WorkerRecord> UpdateWorkerAsync(string name, int? concurrency, string? description, WorkerIsolation? isolation, CancellationToken cancellationToken = default)
    {
        WorkerRules.Check(name, concurrency);
        return _workers.UpdateAsync(name, concurrency, description, isolation, cancellationToken);
    }

    /// <summary>
    /// Changes a worker's concurrency, description, isolation or runner recycle limits (null leaves each as it is;
    /// <see cref="RunnerLimitChange.ToDaemonDefault"/> goes back to the daemon's setting). Running daemons apply a new
    /// limit to their runners from their next poll on: a runner already past it is replaced after its task.
    /// </summary>
    public Task<WorkerRecord> UpdateWorkerAsync(
        string name, int? concurrency, string? description, WorkerIsolation? isolation, RunnerLimitChange? runnerMaxTasks, RunnerLimitChange? runnerMaxMemoryMiB, CancellationToken cancellationToken = default)
    {
        WorkerRules.Check(name, concurrency);
        RunnerLimits.Check(runnerMaxTasks?.Value, runnerMaxMemoryMiB?.Value);
        return _workers.UpdateAsync(name, concurrency, description, isolation, runnerMaxTasks, runnerMaxMemoryMiB, cancellationToken);
    }

    /// <summary>Removes a worker that has no scheduled, queued or running task (else a <see cref="CarrotInputException"/>); its finished tasks stay. <c>default</c> cannot be removed.</summary>
    public Task RemoveWorkerAsync(string name, CancellationToken cancellationToken = default) => _workers.RemoveAsync(name, cancellationToken);

    /// <summary>A paused worker starts nothing new: running tasks finish, new tasks wait in its queue until it is resumed.</summary>
    public Task<WorkerRecord> PauseWorkerAsync(string name, CancellationToken cancellationToken = default) => _workers.SetPausedAsync(name, paused: true, cancellationToken);

    /// <summary>Lets a paused worker start tasks again, highest priority first.</summary>
    public Task<WorkerRecord> ResumeWorkerAsync(string name, CancellationToken cancellationToken = default) => _workers.SetPausedAsync(name, paused: false, cancellationToken);

    /// <summary>Adds a recurring schedule after checking it like a task (kallable, arguments, worker) and its cron or interval.</summary>
    public async Task<ScheduleRecord> AddScheduleAsync(ScheduleRequest request, CancellationToken cancellationToken = default)
    {
        if (!WorkerRules.IsValidName(request.Name))
        {
            throw new CarrotInputException($"'{InputEcho.Shorten(request.Name)}' is not a valid schedule name: use 1-64 letters, digits, '-', '_' or '.', starting with a letter or digit.");
        }

        var recurrence = Recurrence.Create(request.Cron, request.TimeZone, request.Every);
        var task = await ValidateAsync(new EnqueueRequest
        {
            Kallable = request.Kallable,
            Args = request.Args,
            Kwargs = request.Kwargs,
            Worker = request.Worker,
            Priority = request.Priority,
            MaxRetries = request.MaxRetries,
            Timeout = request.Timeout,
        }, cancellationToken);
        var normalized = request with { Kallable = task.Kallable, Args = task.Args, Kwargs = task.Kwargs, Worker = task.Worker };
        return await _schedules.AddAsync(normalized, recurrence.NextAfter(_clock.GetUtcNow()), cancellationToken);
    }

    /// <summary>Every recurring schedule, by name.</summary>
    public Task<IReadOnlyList<ScheduleRecord>> ListSchedulesAsync(CancellationToken cancellationToken = default) => _schedules.ListAsync(cancellationToken);

    /// <summary>The schedule of this name; an unknown name is a <see cref="CarrotInputException"/>.</summary>
    public Task<ScheduleRecord> GetScheduleAsync(string name, CancellationToken cancellationToken = default) => _schedules.GetRequiredAsync(name, cancellationToken);

    /// <summary>Stops a schedule from enqueuing until it is resumed.</summary>
    public Task<ScheduleRecord> PauseScheduleAsync(string name, CancellationToken cancellationToken = default) => _schedules.SetPausedAsync(name, paused: true, nextRunAt: null, cancellationToken);

    /// <summary>Resumes from the next occurrence after now: occurrences missed while paused are skipped.</summary>
    public async Task<ScheduleRecord> ResumeScheduleAsync(string name, CancellationToken cancellationToken = default)
    {
        var schedule = await _schedules.GetRequiredAsync(name, cancellationToken);
        if (await _workers.GetAsync(schedule.Worker, cancellationToken) is null)
        {
            throw ScheduleStore.WithoutWorker(schedule);
        }

        var next = Recurrence.For(schedule).NextAfter(_clock.GetUtcNow());
        return await _schedules.SetPausedAsync(name, paused: false, next, cancellationToken);
    }

    /// <summary>Removes a schedule; the tasks it enqueued stay.</summary>
    public Task RemoveScheduleAsync(string name, CancellationToken cancellationToken = default) => _schedules.RemoveAsync(name, cancellationToken);

    /// <summary>Enqueues the schedule's task now, outside its rhythm; the next regular occurrence is unchanged.</summary>
    public async Task<EnqueueResult> RunScheduleNowAsync(string name, CancellationToken cancellationToken = default)
    {
        var schedule = await _schedules.GetRequiredAsync(name, cancellationToken);
        var task = await _schedules.RunNowAsync(schedule, RetryBudget.MaxAttempts(0, schedule.MaxRetries, null, _options.MaxAttempts), cancellationToken);
        var problem = await PublishAsync(task, cancellationToken);
        return new EnqueueResult(task.Id, problem is null, problem);
    }

    /// <summary>Live daemons, and per worker the counts by state and the queue depth (null when the broker cannot be asked).</summary>
    public Task<CarrotStatus> GetStatusAsync(CancellationToken cancellationToken = default) =>
        new StatusReader(_tasks, _workers, _daemons, _connector, TimeSpan.FromSeconds(_options.HeartbeatSeconds * 3)).ReadAsync(cancellationToken);

    /// <summary>Closes the broker connection. The database needs no closing.</summary>
    public async ValueTask DisposeAsync()
    {
        await _publisher.DisposeAsync();
        await _engine.DisposeAsync();
    }

    private async Task<NewTask> ValidateAsync(EnqueueRequest request, CancellationToken cancellationToken)
    {
        var worker = string.IsNullOrWhiteSpace(request.Worker) ? WorkerRecord.DefaultName : request.Worker;
        var known = await _workers.GetAsync(worker, cancellationToken) is null ? new HashSet<string>() : new HashSet<string> { worker };
        return new EnqueueValidator(_options, new Lazy<KallableCatalog>(_catalog), known, _clock).ValidateOne(request);
    }

    private Task<string?> PublishAsync(UnpublishedTask task, CancellationToken cancellationToken) => _dispatcher.DispatchAsync(task, cancellationToken);

    private static CarrotInputException UnknownTask(long id) => new($"There is no task {id}. See 'carrot tasks list'.");
}

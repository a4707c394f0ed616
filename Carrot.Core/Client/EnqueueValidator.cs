using Carrot.Configuration;
using Carrot.Errors;
using Carrot.Kallables;
using Carrot.Messaging;
using Carrot.Records;
using Carrot.Storage;

namespace Carrot.Client;

/// <summary>
/// The one set of rules an enqueue request must pass before anything is written, for a single enqueue and a bulk
/// one alike. The workers are read once by the caller and each kallable is resolved once per validator (not one
/// query or one reflection walk per request). In a batch, the first bad request stops it with its index.
/// </summary>
internal sealed class EnqueueValidator(CarrotOptions options, Lazy<KallableCatalog> catalog, IReadOnlySet<string> workers, TimeProvider clock)
{
    private readonly Dictionary<string, KallableTarget> _targets = new(StringComparer.Ordinal);

    public IReadOnlyList<NewTask> Validate(IReadOnlyList<EnqueueRequest> requests)
    {
        var tasks = new NewTask[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            try
            {
                tasks[i] = ValidateOne(requests[i] ?? throw new CarrotInputException("The request is null."));
            }
            catch (CarrotInputException e)
            {
                throw new CarrotInputException(i, e.Reason);
            }
        }

        return tasks;
    }

    public NewTask ValidateOne(EnqueueRequest request)
    {
        var (args, kwargs) = JsonArguments.Normalize(request.Args, request.Kwargs, options.MaxArgumentBytes);
        var worker = string.IsNullOrWhiteSpace(request.Worker) ? WorkerRecord.DefaultName : request.Worker;
        if (request.Priority is < 0 or > Topology.MaxPriority)
        {
            throw new CarrotInputException($"Priority {request.Priority} is out of range; use 0 (lowest, the default) to {Topology.MaxPriority} (highest).");
        }

        if (request.MaxRetries is < 0 or > CarrotClient.MaxRetriesLimit)
        {
            throw new CarrotInputException($"--max-retries {request.MaxRetries} is out of range; use 0 (no retry) to {CarrotClient.MaxRetriesLimit}.");
        }

        if (request.Timeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            throw new CarrotInputException("A timeout must be longer than zero; leave it out for no limit.");
        }

        var runAt = ScheduledTime(request);
        var name = KallableName.Parse(request.Kallable).ToString();
        var defaults = TaskDefaults.None;
        if (options.TaskAssemblies.Count > 0)
        {
            // With the task code at hand, a typo or a wrong argument is caught now, not when the daemon runs it.
            if (!_targets.TryGetValue(name, out var target))
            {
                target = catalog.Value.Resolve(name);
                _targets[name] = target;
            }

            defaults = TaskDefaults.For(ArgumentBinder.Bind(target, args, kwargs).Method);
        }

        if (!workers.Contains(worker))
        {
            throw WorkerStore.UnknownWorker(worker);
        }

        return new NewTask(name, args, kwargs, worker, request.Priority, MaxAttempts(request.MaxRetries, defaults.MaxRetries))
        {
            MaxRetries = request.MaxRetries,
            TimeoutMs = (long?)request.Timeout?.TotalMilliseconds,
            RunAt = runAt,
        };
    }

    /// <summary>The row's limit as far as the producer knows; the daemon corrects it from the kallable's attribute when it runs.</summary>
    public int MaxAttempts(int? explicitRetries, int? attributeRetries) =>
        explicitRetries is { } r ? r + 1 : attributeRetries is { } a ? a + 1 : options.MaxAttempts;

    private DateTimeOffset? ScheduledTime(EnqueueRequest request)
    {
        if (request.Delay is not null && request.RunAt is not null)
        {
            throw new CarrotInputException("Give either a delay (--delay) or a start time (--at), not both.");
        }

        if (request.Delay is { } delay && delay < TimeSpan.Zero)
        {
            throw new CarrotInputException("A delay cannot be negative.");
        }

        return request.Delay is { } d ? clock.GetUtcNow() + d : request.RunAt;
    }
}

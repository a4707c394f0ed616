using Carrot.Configuration;
using Carrot.Errors;
using Carrot.Kallables;
using Carrot.Lifecycle;
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

    /// <summary>The longest idempotency key: room for a UUID or a hash plus a prefix, short enough to index and print.</summary>
    public const int MaxKeyChars = 200;

    public IReadOnlyList<NewTask> Validate(IReadOnlyList<EnqueueRequest> requests)
    {
        var tasks = new NewTask[requests.Count];
        var keys = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < requests.Count; i++)
        {
            try
            {
                tasks[i] = ValidateOne(requests[i] ?? throw new CarrotInputException("The request is null."));

                // Two requests of one call with one key would be one task or a refused batch; all-or-nothing says refused.
                if (tasks[i].IdempotencyKey is { } key && !keys.TryAdd(key, i))
                {
                    throw new CarrotInputException($"the key '{InputEcho.Shorten(key)}' is also the key of an earlier request of this batch; give each task of a batch its own key.");
                }
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
        PriorityRule.Check(request.Priority, QueueTypeSetting.Of(options));

        if (request.MaxRetries is < 0 or > RetryBudget.MaxRetriesLimit)
        {
            throw new CarrotInputException($"Max retries {request.MaxRetries} is out of range; use 0 (no retry) to {RetryBudget.MaxRetriesLimit}.");
        }

        if (request.Timeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            throw new CarrotInputException("A timeout must be longer than zero; leave it out for no limit.");
        }

        if (request.Timeout is { } longTimeout && !DurationLimits.IsValidTimeout(longTimeout))
        {
            throw new CarrotInputException($"A timeout of {longTimeout.TotalDays:N1} days is too long; the longest is {DurationLimits.MaxTimeoutText} (what a .NET timer holds). Leave it out for no limit.");
        }

        var runAt = ScheduledTime(request);
        var key = IdempotencyKey(request.Key);
        if (request.TraceParent is { } traceParent && !Diagnostics.Telemetry.TraceParent.IsValid(traceParent))
        {
            throw new CarrotInputException($"The trace parent '{InputEcho.Shorten(traceParent)}' is not a W3C traceparent; use {Diagnostics.Telemetry.TraceParent.Format}, or leave it out.");
        }

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

        return new NewTask(name, args, kwargs, worker, request.Priority, RetryBudget.MaxAttempts(0, request.MaxRetries, defaults.MaxRetries, options.MaxAttempts))
        {
            MaxRetries = request.MaxRetries,
            TimeoutMs = (long?)request.Timeout?.TotalMilliseconds,
            RunAt = runAt,
            IdempotencyKey = key,
            TraceParent = request.TraceParent?.Trim(),
        };
    }

    private static string? IdempotencyKey(string? key)
    {
        if (key is null)
        {
            return null;
        }

        if (key.Length is 0 or > MaxKeyChars || key.Any(char.IsControl) || string.IsNullOrWhiteSpace(key))
        {
            throw new CarrotInputException($"The idempotency key '{InputEcho.Shorten(key)}' is not valid: use 1 to {MaxKeyChars} characters, not only spaces, without control characters (e.g. an order id or a UUID).");
        }

        return key;
    }

    private DateTimeOffset? ScheduledTime(EnqueueRequest request)
    {
        if (request.Delay is not null && request.RunAt is not null)
        {
            throw new CarrotInputException("Give either a delay or a start time, not both.");
        }

        if (request.Delay is { } delay && delay < TimeSpan.Zero)
        {
            throw new CarrotInputException("A delay cannot be negative.");
        }

        if (request.Delay is { } longDelay && !DurationLimits.IsValidDelay(longDelay))
        {
            throw new CarrotInputException($"A delay of {longDelay.TotalDays:N0} days is too long; the longest is {DurationLimits.MaxDelayText}.");
        }

        var now = clock.GetUtcNow();
        if (request.RunAt is { } runAt && runAt - now > DurationLimits.MaxDelay)
        {
            throw new CarrotInputException($"The start time {runAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z is too far away; it may be at most {DurationLimits.MaxDelayText} from now.");
        }

        return request.Delay is { } d ? now + d : request.RunAt;
    }
}

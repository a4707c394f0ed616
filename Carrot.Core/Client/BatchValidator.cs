using Carrot.Configuration;
using Carrot.Errors;
using Carrot.Kallables;
using Carrot.Messaging;
using Carrot.Records;
using Carrot.Storage;

namespace Carrot.Client;

/// <summary>
/// Checks every request of a bulk enqueue before anything is written, with the same rules as a single enqueue,
/// but with the workers read once and each kallable resolved once per call (not one query or one reflection
/// walk per request). The first bad request stops the batch with its index.
/// </summary>
internal sealed class BatchValidator(CarrotOptions options, Lazy<KallableCatalog> catalog, IReadOnlySet<string> workers)
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

    private NewTask ValidateOne(EnqueueRequest request)
    {
        var (args, kwargs) = JsonArguments.Normalize(request.Args, request.Kwargs, options.MaxArgumentBytes);
        var worker = string.IsNullOrWhiteSpace(request.Worker) ? WorkerRecord.DefaultName : request.Worker;
        if (request.Priority is < 0 or > Topology.MaxPriority)
        {
            throw new CarrotInputException($"Priority {request.Priority} is out of range; use 0 (lowest, the default) to {Topology.MaxPriority} (highest).");
        }

        var name = KallableName.Parse(request.Kallable).ToString();
        if (options.TaskAssemblies.Count > 0)
        {
            if (!_targets.TryGetValue(name, out var target))
            {
                target = catalog.Value.Resolve(name);
                _targets[name] = target;
            }

            ArgumentBinder.Bind(target, args, kwargs);
        }

        if (!workers.Contains(worker))
        {
            throw WorkerStore.UnknownWorker(worker);
        }

        return new NewTask(name, args, kwargs, worker, request.Priority, options.MaxAttempts);
    }
}

using System.CommandLine;
using Carrot.Cli.Handoff;
using Carrot.Cli.Output;
using Carrot.Cli.Output.Views;
using Carrot.Cli.Parsing;
using Carrot.Client;
using Carrot.Messaging;
using Carrot.Records;
using Carrot.Tasks;

namespace Carrot.Cli.Commands;

/// <summary><c>carrot enqueue KALLABLE</c>: records a task, publishes it, and prints its id (or, with --wait, its result).</summary>
internal sealed class EnqueueCommand : Command
{
    /// <summary>The command's name, which <see cref="CommandTree"/> looks for among the arguments.</summary>
    public const string CommandName = "enqueue";

    private static readonly TimeSpan DefaultWaitTimeout = TimeSpan.FromSeconds(60);

    private readonly CliContext _context;
    private readonly Argument<string?> _kallable = new("KALLABLE") { Description = "The method to run, as Namespace.Type.Method (nested types with '+'), e.g. MyLib.Jobs.Bark.", Arity = ArgumentArity.ZeroOrOne };
    private readonly Option<string?> _batch = new("--batch") { Description = "Enqueue many tasks from FILE ('-' for standard input): one JSON object a line, {\"kallable\": ..., \"args\": [...], \"kwargs\": {...}, \"worker\": ..., \"priority\": n, \"key\": ...}. Every line is checked before any is enqueued. Prints the ids, one a line.", HelpName = "FILE" };
    private readonly Option<string?> _args = new("--args") { Description = "Positional arguments as a JSON array, e.g. '[\"Rex\", 3]'.", HelpName = "JSON" };
    private readonly Option<string?> _kwargs = new("--kwargs") { Description = "Named arguments as a JSON object, e.g. '{\"times\": 3}'.", HelpName = "JSON" };
    private readonly Option<string> _worker = new("--worker", "-w") { Description = "The worker (queue) that runs it.", HelpName = "NAME", DefaultValueFactory = _ => WorkerRecord.DefaultName };
    private readonly Option<int?> _priority = CliOptions.Priority();
    private readonly Option<TimeSpan?> _delay = CliOptions.Span("--delay", "Run no earlier than this long from now, e.g. 90s or 2h. The task waits in the database as 'scheduled'.");
    private readonly Option<DateTimeOffset?> _at = CliOptions.Instant("--at", "Run no earlier than this time, ISO 8601 with a zone, e.g. 2026-12-01T09:00:00Z.");
    private readonly Option<int?> _maxRetries = CliOptions.MaxRetries("Retry a failed attempt up to N times (0: never), with exponential backoff. Default: the kallable's [CarrotTask] or maxAttempts - 1.");
    private readonly Option<TimeSpan?> _timeout = CliOptions.Timeout("--timeout", "Fire the task's cancellation token after this long and record a timeout, e.g. 30s. Default: the kallable's [CarrotTask] or defaultTimeoutSeconds.");
    private readonly Option<bool> _wait = new("--wait") { Description = "Wait until the task finishes; print its result (JSON) and exit 1 if it failed or was cancelled." };
    private readonly Option<TimeSpan?> _waitTimeout = CliOptions.Span("--wait-timeout", "How long --wait waits before giving up (exit 1; the task carries on). Default 60s.");
    private readonly Option<string?> _key = new("--key") { Description = "An idempotency key, e.g. an order id: while a task with this key is unfinished (or within idempotencyWindowSeconds after it finished, a day by default), enqueueing again prints that task's id instead of recording a new one.", HelpName = "KEY" };
    private readonly Option<bool> _json = CliOptions.Json();

    public EnqueueCommand(CliContext context)
        : base(CommandName, "Record a task and publish it to its worker's queue. Prints the task id.")
    {
        _context = context;
        Arguments.Add(_kallable);
        Options.Add(_args);
        Options.Add(_kwargs);
        Options.Add(_worker);
        Options.Add(_priority);
        Options.Add(_delay);
        Options.Add(_at);
        Options.Add(_maxRetries);
        Options.Add(_timeout);
        Options.Add(_wait);
        Options.Add(_waitTimeout);
        Options.Add(_key);
        Options.Add(_json);
        Options.Add(_batch);
        Validators.Add(CheckBatchUsage);
        SetAction(RunAsync);
        context.Help.Add(this, """
            A task with --delay or --at waits in the database as 'scheduled' and carrotd publishes it when it is due.
            A failed attempt is retried with exponential backoff while retries are left.
            The task is saved before it is published. If RabbitMQ does not confirm it, carrot still prints the id and
            exits 75: the task is safe and carrotd publishes it once the broker is reachable, so do not enqueue it again.
            A producer that cannot tell whether its enqueue landed (it crashed, timed out) can enqueue again safely with
            the same --key: the second enqueue prints the first task's id, says so on stderr, and exits 0.
            With --wait, stdout gets the task's result (JSON) instead of its id.

            Exit codes:
              0   queued (with --wait: succeeded)
              1   failed or cancelled under --wait, the wait timed out, or the database is unavailable
              2   bad usage: unknown kallable or worker, arguments that do not fit, malformed JSON or duration
              75  saved but not yet dispatched

            Examples:
              carrot enqueue MyLib.Jobs.Bark --args '["Rex"]'
              id=$(carrot enqueue MyLib.Jobs.Bark --kwargs '{"name": "Rex", "times": 3}' --worker files --priority 5)
              carrot enqueue MyLib.Jobs.Add --args '[2, 3]' --wait --wait-timeout 2m
              carrot enqueue MyLib.Jobs.Bark --args '["Rex"]' --delay 90s
              carrot enqueue MyLib.Jobs.Bark --args '["Rex"]' --at 2026-12-01T09:00:00Z --max-retries 5 --timeout 30s
              carrot enqueue MyLib.Jobs.Bark --args '["Rex"]' --json | jq .taskId
              carrot enqueue MyLib.Jobs.Bark --args '["Rex"]' --key order-1234
              TRACEPARENT=00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01 carrot enqueue MyLib.Jobs.Bark --args '["Rex"]'
              printf '%s\n' '{"kallable": "MyLib.Jobs.Bark", "args": ["Rex"]}' '{"kallable": "MyLib.Jobs.Add", "args": [2, 3]}' | carrot enqueue --batch -
            """);
    }

    private async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var json = parseResult.GetValue(_json);
        if (parseResult.GetValue(_batch) is { } batch)
        {
            return await RunBatchAsync(parseResult, batch, json, cancellationToken);
        }

        var options = _context.LoadOptions(parseResult);
        var request = new EnqueueRequest
        {
            Kallable = parseResult.GetValue(_kallable)!,
            Args = parseResult.GetValue(_args) ?? "[]",
            Kwargs = parseResult.GetValue(_kwargs) ?? "{}",
            Worker = parseResult.GetRequiredValue(_worker),
            Priority = parseResult.GetValue(_priority) ?? 0,
            Delay = parseResult.GetValue(_delay),
            RunAt = parseResult.GetValue(_at),
            MaxRetries = parseResult.GetValue(_maxRetries),
            Timeout = parseResult.GetValue(_timeout),
            Key = parseResult.GetValue(_key),
            TraceParent = TraceParentVariable.Read(),
        };
        var wait = parseResult.GetValue(_wait);

        // The local carrotd enqueues it with its warm connections when it runs here with the same settings; a call
        // then skips its own broker handshake and database start-up, most of what it would spend.
        var handed = DaemonHandoff.TryEnqueue(options, request, withTask: json && !wait, cancellationToken);
        if (handed?.Result is { } handedOff && !wait)
        {
            return Finish(handedOff, json ? EnqueueView.From(handedOff, handed.State, handed.TaskResult, handed.ErrorType, handed.ErrorMessage) : null);
        }

        await using var client = await CarrotClient.CreateAsync(options, cancellationToken);
        var enqueued = handed?.Result ?? await client.EnqueueAsync(request, cancellationToken);
        if (!wait)
        {
            return Finish(enqueued, json ? EnqueueView.From(enqueued, await client.GetTaskAsync(enqueued.TaskId, cancellationToken)) : null);
        }

        Announce(enqueued);

        // An unpublished task is still waited for: the daemon's relay publishes it, and the wait sees it finish.
        return await WaitAsync(client, enqueued, parseResult.GetValue(_waitTimeout) ?? DefaultWaitTimeout, json, cancellationToken);
    }

    /// <summary>Without --wait: the notices, then the id (or the JSON view), and the exit code that says whether it was dispatched.</summary>
    private int Finish(EnqueueResult enqueued, EnqueueView? view)
    {
        Announce(enqueued);
        if (view is not null)
        {
            _context.Json.Write(view);
        }
        else
        {
            _context.Out.WriteLine(enqueued.TaskId);
        }

        return enqueued.Dispatched ? ExitCodes.Ok : ExitCodes.SavedNotDispatched;
    }

    private void Announce(EnqueueResult enqueued)
    {
        if (enqueued.Duplicate)
        {
            _context.Errors.Write($"Not enqueued again: task {enqueued.TaskId} already has this key.");
        }

        if (!enqueued.Dispatched)
        {
            _context.Errors.Write($"Task {enqueued.TaskId} saved but not yet dispatched: {enqueued.PublishError} carrotd will publish it when RabbitMQ is reachable.");
        }
    }

    /// <summary>KALLABLE or --batch, one of them; the per-task options come from the lines of a batch.</summary>
    private void CheckBatchUsage(System.CommandLine.Parsing.CommandResult result)
    {
        var batch = result.GetValue(_batch) is not null;
        if (batch == result.GetValue(_kallable) is not null)
        {
            result.AddError(batch ? "Give either KALLABLE or --batch FILE, not both." : "Name the KALLABLE to run, or give --batch FILE.");
        }
        else if (batch && new Option[] { _args, _kwargs, _worker, _priority, _wait, _waitTimeout, _key }.Any(o => result.GetResult(o) is { Implicit: false }))
        {
            result.AddError("With --batch, each line gives its own args, kwargs, worker, priority and key; --args, --kwargs, --worker, --priority, --key and --wait go with a single KALLABLE.");
        }
    }

    private async Task<int> RunBatchAsync(ParseResult parseResult, string path, bool json, CancellationToken cancellationToken)
    {
        var lines = await BatchFileReader.ReadAsync(path, _context.In, cancellationToken);
        await using var client = await _context.OpenClientAsync(parseResult, cancellationToken);
        IReadOnlyList<EnqueueResult> results;
        try
        {
            var traceParent = TraceParentVariable.Read();
            results = await client.EnqueueManyAsync(lines.Select(l => l.Request with { TraceParent = l.Request.TraceParent ?? traceParent }).ToList(), cancellationToken);
        }
        catch (Carrot.Errors.CarrotInputException e) when (e.BatchIndex is { } index)
        {
            // The client counts requests; the user counts lines (blank ones included).
            throw new Carrot.Errors.CarrotInputException($"line {lines[index].LineNumber}: {e.Reason}");
        }

        var duplicates = results.Count(r => r.Duplicate);
        if (duplicates > 0)
        {
            _context.Errors.Write($"{duplicates} of {results.Count} line(s) had a key that already named a task; their ids are those tasks', and they were not enqueued again.");
        }

        var unconfirmed = results.Where(r => !r.Dispatched).ToList();
        if (unconfirmed.Count > 0)
        {
            _context.Errors.Write($"{unconfirmed.Count} of {results.Count} task(s) saved but not yet dispatched: {unconfirmed[0].PublishError} carrotd will publish them when RabbitMQ is reachable.");
        }

        if (json)
        {
            _context.Json.Write<IReadOnlyList<EnqueueView>>(results.Select(r => EnqueueView.From(r, null)).ToList());
        }
        else
        {
            // One write: a line-by-line console write is slow for a hundred thousand ids.
            var ids = new System.Text.StringBuilder(results.Count * 8);
            foreach (var result in results)
            {
                ids.Append(result.TaskId).Append('\n');
            }

            _context.Out.Write(ids.ToString());
        }

        return unconfirmed.Count > 0 ? ExitCodes.SavedNotDispatched : ExitCodes.Ok;
    }

    private async Task<int> WaitAsync(CarrotClient client, EnqueueResult enqueued, TimeSpan timeout, bool json, CancellationToken cancellationToken)
    {
        var id = enqueued.TaskId;
        TaskRecord task;
        try
        {
            task = await client.WaitForCompletionAsync(id, timeout, cancellationToken);
        }
        catch (TimeoutException e)
        {
            // Not an error type to map centrally: it is the normal end of --wait, and the task id must be in the line.
            _context.Errors.Write($"{e.Message} Only the waiting stopped; the task carries on. See 'carrot tasks show {id}'.");
            if (json)
            {
                _context.Json.Write(EnqueueView.From(enqueued, await client.GetTaskAsync(id, cancellationToken)));
            }

            return ExitCodes.Failure;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C stops the waiting, not the task; the id may not have been printed, so say it here.
            _context.Errors.Write($"Stopped waiting for task {id}; it is still recorded and will run. See 'carrot tasks show {id}'.");
            return ExitCodes.Interrupted;
        }

        if (json)
        {
            _context.Json.Write(EnqueueView.From(enqueued, task));
        }
        else if (task.State == TaskState.Succeeded)
        {
            _context.Out.WriteLine(task.Result ?? "null");
        }

        switch (task.State)
        {
            case TaskState.Succeeded:
                return ExitCodes.Ok;
            case TaskState.Cancelled:
                _context.Errors.Write($"Task {id} was cancelled. See 'carrot tasks show {id}'.");
                return ExitCodes.Failure;
            default:
                _context.Errors.Write($"Task {id} failed after {task.Attempts} attempt(s): {task.ErrorType}: {DisplayFormat.Sentence(task.ErrorMessage)} See 'carrot tasks show {id} --logs'.");
                return ExitCodes.Failure;
        }
    }
}

namespace Carrot.Kallables.RunnerProtocol;

/// <summary>
/// One message between carrotd and a carrot-runner, as JSON in a length-prefixed frame (<see cref="RunnerFrames"/>).
/// One shape for every <see cref="Kind"/>; each kind fills the fields it needs:
/// runner → daemon: <c>ready</c> (Pid), <c>text</c> (Level, Text: console output as written), <c>log</c> (Level, Text:
/// one line through TaskContext.Log or ILogger) — both with TraceId and SpanId of the span current where it was
/// written —, <c>succeeded</c> (Result, Problem), <c>threw</c> (Error*),
/// <c>broken</c> (Text: the runner cannot serve, e.g. its task assemblies do not load), <c>span-start</c> (Span: a span the task
/// code started, as it started), <c>span</c> (Span: the span as it ended);
/// daemon → runner: <c>run</c> (the task, with TraceParent: the attempt's process span), <c>cancel</c> (fire the running task's token).
/// </summary>
internal sealed record RunnerFrame(string Kind)
{
    public const string Ready = "ready";
    public const string TextKind = "text";
    public const string LogKind = "log";
    public const string SucceededKind = "succeeded";
    public const string ThrewKind = "threw";
    public const string BrokenKind = "broken";
    public const string RunKind = "run";
    public const string CancelKind = "cancel";
    public const string SpanStartKind = "span-start";
    public const string SpanKind = "span";

    public int? Pid { get; init; }

    public long TaskId { get; init; }

    public int Attempt { get; init; }

    public string? Worker { get; init; }

    public string? Kallable { get; init; }

    public string? Args { get; init; }

    public string? Kwargs { get; init; }

    /// <summary>The W3C traceparent of the attempt's process span: the parent of what the task code does; null without one.</summary>
    public string? TraceParent { get; init; }

    public RunnerSpan? Span { get; init; }

    /// <summary>The trace of the span current where a log line or console text was written (W3C hex); null outside any.</summary>
    public string? TraceId { get; init; }

    /// <summary>The runner's id of that span (carrotd maps it to its own).</summary>
    public string? SpanId { get; init; }

    /// <summary>A <c>TaskLogLevel</c> name.</summary>
    public string? Level { get; init; }

    public string? Text { get; init; }

    /// <summary>The result as JSON (null for none).</summary>
    public string? Result { get; init; }

    /// <summary>Why the result could not be stored whole (too long, not serialisable): logged as a warning.</summary>
    public string? Problem { get; init; }

    public string? ErrorType { get; init; }

    public string? ErrorMessage { get; init; }

    public string? StackTrace { get; init; }

    /// <summary>The task threw <c>DoNotRetryException</c>.</summary>
    public bool DoNotRetry { get; init; }

    /// <summary>The task stopped with an <c>OperationCanceledException</c> (its token fired and it observed it).</summary>
    public bool Cancellation { get; init; }
}

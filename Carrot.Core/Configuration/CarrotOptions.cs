namespace Carrot.Configuration;

/// <summary>Everything the CLI, the daemon and producer applications need to find the database, the broker and the task code.</summary>
public sealed class CarrotOptions
{
    /// <summary>Path of the SQLite database file.</summary>
    public string Database { get; set; } = DefaultPaths.Database();

    /// <summary>
    /// AMQP URI of the broker, or the URIs of a cluster's nodes, comma-separated (a list in the file); all with the same
    /// user, password and virtual host. Its password is never printed; use <see cref="BrokerAddressList.Redacted"/>.
    /// </summary>
    public string Broker { get; set; } = "amqp://guest:guest@localhost:5672/";

    /// <summary>
    /// <c>classic</c> (the default: one node holds each worker's queue, priorities 0-9) or <c>quorum</c> (replicated
    /// over a RabbitMQ cluster; no priorities, so an enqueue with a priority above 0 is refused).
    /// </summary>
    public string QueueType { get; set; } = "classic";

    /// <summary>Task assemblies: .dll paths, or folders (each assembly there that has its own .deps.json).</summary>
    public IList<string> TaskAssemblies { get; set; } = [];

    /// <summary>How long a writer waits for a locked database before giving up.</summary>
    public int BusyTimeoutSeconds { get; set; } = 10;

    /// <summary>How often a daemon records its heartbeat and renews the leases of the tasks it runs.</summary>
    public int HeartbeatSeconds { get; set; } = 5;

    /// <summary>How long a claim stays valid without a heartbeat; after that another daemon may rescue the task.</summary>
    public int LeaseSeconds { get; set; } = 60;

    /// <summary>How long running tasks get to finish on shutdown before their cancellation token fires.</summary>
    public int ShutdownGraceSeconds { get; set; } = 25;

    /// <summary>How often the daemon re-reads the workers table.</summary>
    public double WorkerPollSeconds { get; set; } = 2;

    /// <summary>
    /// The workers whose queues this daemon consumes, so that a host takes only the work its hardware suits; null
    /// (the default) means every worker. A name not in the workers table yet is consumed once it is added.
    /// </summary>
    public IList<string>? Workers { get; set; }

    /// <summary>
    /// A queued task whose message was confirmed this long ago, while its worker's queue holds no ready message,
    /// lost its message (queue purged or deleted, broker state lost) and is published again.
    /// </summary>
    public double ReconcileAfterSeconds { get; set; } = 60;

    /// <summary>Upper bound on the size of args plus kwargs, in bytes.</summary>
    public int MaxArgumentBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// How many times a task is started at most, unless <c>--max-retries</c> or the kallable's <c>[CarrotTask]</c>
    /// says otherwise: a failed attempt is retried while attempts are left. Crashes and rescues count.
    /// </summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The wait before the first retry; each further retry waits twice as long (with jitter), up to <see cref="RetryMaxDelaySeconds"/>.</summary>
    public double RetryBaseDelaySeconds { get; set; } = 10;

    /// <summary>The longest wait between two attempts.</summary>
    public double RetryMaxDelaySeconds { get; set; } = 3600;

    /// <summary>How long an attempt may run when neither the task nor its kallable sets a timeout; 0 means no limit.</summary>
    public double DefaultTimeoutSeconds { get; set; }

    /// <summary>
    /// After a timeout or a cancel fires a task's token, how long Carrot waits for the task to end before it stops
    /// waiting: the task is recorded (failed or cancelled), its slot is freed, and it is reported as a runaway.
    /// </summary>
    public double RunawayGraceSeconds { get; set; } = 10;

    /// <summary>Succeeded tasks are deleted this many days after they finished; 0 keeps them forever.</summary>
    public double SucceededRetentionDays { get; set; } = 7;

    /// <summary>Failed tasks are deleted this many days after they finished; 0 keeps them forever.</summary>
    public double FailedRetentionDays { get; set; } = 30;

    /// <summary>Cancelled tasks are deleted this many days after they finished; 0 keeps them forever.</summary>
    public double CancelledRetentionDays { get; set; } = 30;

    /// <summary>The longest task result stored, in characters of JSON; a longer one is not stored (the task's log says so).</summary>
    public int MaxResultChars { get; set; } = 1024 * 1024;

    /// <summary>The longest error message, and separately the longest stack trace, stored for an attempt; longer ones are cut and say so.</summary>
    public int MaxErrorChars { get; set; } = 64 * 1024;

    /// <summary>The longest log line stored; a longer line is cut and says so.</summary>
    public int MaxLogLineChars { get; set; } = 16 * 1024;

    /// <summary>How many log lines one attempt keeps; later lines are counted, not stored.</summary>
    public int MaxLogLinesPerAttempt { get; set; } = 5000;

    /// <summary>
    /// How often (milliseconds) carrotd stores the lines a running task wrote since the last time, so the monitor and
    /// <c>carrot tasks show ID --logs --follow</c> can tail them; 0 stores them only with the outcome. Default 500.
    /// </summary>
    public int LiveTaskLogMs { get; set; } = 500;

    /// <summary>
    /// Whether the lines tasks log also go to carrotd's own output (the journal). Off by default: they are stored
    /// with the task (<c>carrot tasks show ID --logs</c>), and a chatty task would otherwise flood the journal.
    /// </summary>
    public bool TaskLogToJournal { get; set; }

    /// <summary>
    /// How long a finished task keeps its idempotency key: an enqueue with the same key within this many seconds after
    /// the first task finished returns that task; later, the key names a new task. An unfinished task always keeps its
    /// key. Default 86400 (a day).
    /// </summary>
    public double IdempotencyWindowSeconds { get; set; } = 86400;

    /// <summary>
    /// The carrot-runner program that process-isolated workers run their tasks in; empty (the default) means the one
    /// installed beside carrotd.
    /// </summary>
    public string RunnerPath { get; set; } = "";

    /// <summary>
    /// A runner is replaced after this many tasks (it finishes its last one first); 0 never replaces it for that. The
    /// default for process workers that set none of their own (<c>carrot workers update NAME --runner-max-tasks N</c>).
    /// </summary>
    public int RunnerMaxTasks { get; set; } = 1000;

    /// <summary>
    /// A runner whose resident memory passes this many MiB after a task is replaced; 0 sets no limit. The default for
    /// process workers that set none of their own (<c>--runner-max-memory MIB</c>).
    /// </summary>
    public int RunnerMaxMemoryMiB { get; set; } = 512;

    /// <summary>
    /// A process worker's runner that has been idle this many seconds is stopped, except the worker's last one, so a
    /// burst does not leave concurrency-many processes for good; 0 keeps idle runners. Default 60.
    /// </summary>
    public double RunnerIdleSeconds { get; set; } = 60;

    /// <summary>
    /// The Unix socket where carrotd takes enqueues from <c>carrot enqueue</c> on the same machine, so that a call
    /// skips the broker handshake and the database's start-up (the daemon holds both open); <c>off</c> turns it off.
    /// Empty (the default): beside an SQLite database (<c>carrot.db.sock</c>), or <c>/run/carrot/carrotd.sock</c> for
    /// PostgreSQL. A call that finds no daemon there, or one with other settings, enqueues by itself as before.
    /// </summary>
    public string EnqueueSocket { get; set; } = "";

    /// <summary>carrotd's log level: Debug (also every task's start), Information, Warning or Error.</summary>
    public string LogLevel { get; set; } = "Information";

    /// <summary>carrotd's Prometheus scrape endpoint (<c>/metrics</c>); off unless <see cref="MetricsSettings.Listen"/> is set.</summary>
    public MetricsSettings Metrics { get; set; } = new();

    /// <summary>OTLP export of carrotd's traces and metrics; the standard <c>OTEL_EXPORTER_OTLP_*</c> variables override it.</summary>
    public OtlpSettings Otlp { get; set; } = new();

    /// <summary>Where the options came from, for <c>carrot status</c> and error messages.</summary>
    public string Source { get; set; } = "built-in defaults";
}

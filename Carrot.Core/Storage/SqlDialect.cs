namespace Carrot.Storage;

/// <summary>
/// Where the two engines' SQL differs; everything else is written once. SQLite runs each write transaction alone
/// (<c>BEGIN IMMEDIATE</c> takes the database's one write lock), so what a transaction reads holds until it commits.
/// PostgreSQL runs writers side by side at READ COMMITTED, so a read that a write depends on locks what it read.
/// </summary>
internal sealed record SqlDialect
{
    public static readonly SqlDialect Sqlite = new()
    {
        Engine = "SQLite",
        BeginWrite = "BEGIN IMMEDIATE",
        ForUpdate = "",
        ForShare = "",
        SkipLocked = "",
        LockName = null,
        InList = parameter => $"IN {parameter}",
        Notify = null,
        CountsPerSlot = false,
    };

    public static readonly SqlDialect Postgres = new()
    {
        Engine = "PostgreSQL",
        BeginWrite = "BEGIN",
        ForUpdate = "FOR UPDATE",
        ForShare = "FOR SHARE",
        SkipLocked = "FOR UPDATE SKIP LOCKED",
        // A transaction-scoped advisory lock on a name: held until commit, so writers that must take turns on
        // something that is not a row (an idempotency key not yet inserted, a worker's running slots) do.
        LockName = "SELECT pg_advisory_xact_lock(hashtextextended(@lockName, 0))",
        InList = parameter => $"= ANY({parameter})",
        // Delivered when the transaction commits, and only then: listeners never hear of a change that rolled back.
        Notify = "SELECT pg_notify(@channel, '')",
        CountsPerSlot = true,
    };

    public required string Engine { get; init; }

    /// <summary>Starts a write transaction.</summary>
    public required string BeginWrite { get; init; }

    /// <summary>Ends a SELECT whose rows the transaction goes on to change.</summary>
    public required string ForUpdate { get; init; }

    /// <summary>Ends a SELECT whose rows must not change or vanish until the transaction commits.</summary>
    public required string ForShare { get; init; }

    /// <summary>Ends a SELECT that picks rows to change, skipping those another transaction is changing.</summary>
    public required string SkipLocked { get; init; }

    /// <summary>
    /// Compares a column with a list parameter: Dapper expands <c>IN @list</c> into one parameter per item for SQLite, but
    /// hands Npgsql the list as one array, which PostgreSQL compares with <c>= ANY(@list)</c>.
    /// </summary>
    public required Func<string, string> InList { get; init; }

    /// <summary>Tells listening daemons of a change on <c>@channel</c> at commit; null where nobody listens (SQLite).</summary>
    public required string? Notify { get; init; }

    /// <summary>Serialises writers on <c>@lockName</c> until commit; null where the write transaction already serialises all writers.</summary>
    public required string? LockName { get; init; }

    /// <summary>
    /// Whether the trigger-kept counts (task_counts, task_throughput) have a <c>slot</c> column, one row per connection
    /// slot (PostgreSQL, where every host's writer would otherwise queue on one hot row), summed when read.
    /// </summary>
    public required bool CountsPerSlot { get; init; }
}

using Carrot.Daemon.Logging;
using Carrot.Daemon.Reloading;
using Carrot.Kallables;
using Carrot.Storage;

namespace Carrot.Daemon.Execution;

/// <summary>One attempt, resolved and bound, ready for a <see cref="ITaskCodeHost"/>.</summary>
internal sealed record AttemptRun(ClaimedTask Claim, TaskSignals Signals, KallableTarget Target, BoundCall Call, TimeSpan? Timeout, TaskLogBuffer Buffer, CatalogLease Catalog);

namespace Carrot.Storage;

/// <summary>A task this daemon now holds: the claim moved it to running, counted the attempt and took the lease.</summary>
internal sealed record ClaimedTask(long Id, string Kallable, string Args, string Kwargs, string Worker, int Attempt, int MaxAttempts, string LeaseOwner, bool RunAlone = false);

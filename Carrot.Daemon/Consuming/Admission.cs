using Carrot.Storage;

namespace Carrot.Daemon.Consuming;

/// <summary>
/// A delivery after its claim: what to tell the broker now, and — when the claim was taken — the task to run,
/// with the run-alone gate slot it holds until its code is done.
/// </summary>
internal sealed class Admission(AckDecision decision, ClaimedTask? claim = null, IAsyncDisposable? slot = null) : IAsyncDisposable
{
    public AckDecision Decision { get; } = decision;

    public ClaimedTask? Claim { get; } = claim;

    public ValueTask DisposeAsync() => slot?.DisposeAsync() ?? ValueTask.CompletedTask;
}

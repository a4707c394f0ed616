namespace Carrot.Daemon.Maintenance;

/// <summary>
/// Leases are measured in wall-clock time, but a write lock held longer than a lease (a huge batch enqueue in one
/// transaction, a stalled disk) stops every daemon from renewing, live ones included. So a daemon rescues expired
/// leases only once its own heartbeats have gone through without a gap for two beats: by then any live owner has
/// had a beat of its own to renew, and only a daemon that is really gone (dead, frozen, cut off) is rescued.
/// </summary>
internal sealed class LeaseRescueGuard(TimeSpan heartbeat, TimeProvider clock)
{
    private DateTimeOffset? _steadySince;
    private DateTimeOffset? _lastBeat;

    public void BeatSucceeded()
    {
        var now = clock.GetUtcNow();
        if (_lastBeat is not { } last || now - last > heartbeat * 1.5)
        {
            _steadySince = now;
        }

        _lastBeat = now;
    }

    public void BeatFailed()
    {
        _steadySince = null;
        _lastBeat = null;
    }

    public bool MayRescue => _steadySince is { } since && clock.GetUtcNow() - since >= heartbeat * 2;
}

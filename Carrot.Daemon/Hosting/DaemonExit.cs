namespace Carrot.Daemon.Hosting;

/// <summary>
/// The exit code carrotd ends with: 0 after an ordinary stop (SIGTERM), non-zero when a part of it failed for
/// good and stopped it, so that the service manager sees a failure and restarts it.
/// </summary>
internal sealed class DaemonExit
{
    public const int Failed = 1;

    private int _code;

    public int Code => Volatile.Read(ref _code);

    /// <summary>Records that the daemon stops because something failed; the first failure wins.</summary>
    public void Fail() => Interlocked.CompareExchange(ref _code, Failed, 0);
}

namespace Carrot.Daemon.Hosting;

/// <summary>What <see cref="SupervisedService{TService}"/> does when a hosted service's loop ends with an exception.</summary>
internal enum ServiceFaultPolicy
{
    /// <summary>Log it, wait (doubling up to a minute) and start the service's loop again. For maintenance work.</summary>
    Restart,

    /// <summary>Log it and stop carrotd with a non-zero exit, so systemd starts a fresh one. For work the daemon is useless without.</summary>
    StopDaemon,
}

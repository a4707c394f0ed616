namespace Carrot.Cli;

/// <summary>The exit codes scripts may rely on. They are part of the CLI's contract; do not renumber them.</summary>
internal static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>A task failed or was cancelled under --wait, a wait timed out, or the environment failed (database, broker).</summary>
    public const int Failure = 1;

    /// <summary>Bad usage: a parse error, bad input, or a bad configuration. Nothing was written.</summary>
    public const int Usage = 2;

    /// <summary>
    /// EX_TEMPFAIL from sysexits.h: the task is saved but the broker has not confirmed it yet. carrotd publishes
    /// it once RabbitMQ is reachable, so a script must not enqueue it again.
    /// </summary>
    public const int SavedNotDispatched = 75;

    /// <summary>Interrupted by Ctrl+C or SIGTERM (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;
}

namespace Carrot.Daemon.Maintenance;

internal static class PeriodicTimerExtensions
{
    /// <summary>The next tick, or false once the service is stopping (instead of an exception).</summary>
    public static async Task<bool> TickAsync(this PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}

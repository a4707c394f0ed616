using Carrot.Errors;

namespace Carrot.Daemon.Consuming;

/// <summary>
/// Writes until it sticks while the database as a whole is unavailable (locked, read-only, full): a busy database
/// must delay an outcome, never drop it, or the task would stay running in the table and run again after a rescue.
/// An error of the write itself (<see cref="CarrotStoreException.IsTransient"/> false) is not retried: it would fail
/// forever; it goes back to the caller, which records something else.
/// </summary>
internal sealed class StoreRetry(Serilog.ILogger logger)
{
    public async Task<T> RunAsync<T>(string what, Func<CancellationToken, Task<T>> write, CancellationToken giveUp)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await write(giveUp);
            }
            catch (CarrotStoreException e) when (e.IsTransient)
            {
                logger.Warning("Could not {What} (try {Try}), retrying in {DelayMs} ms: {Reason}", what, attempt, (int)delay.TotalMilliseconds, e.Message);
                await Task.Delay(delay, giveUp);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
            }
        }
    }
}

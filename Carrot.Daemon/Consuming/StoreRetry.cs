using Carrot.Errors;

namespace Carrot.Daemon.Consuming;

/// <summary>
/// Writes an outcome until it sticks. A busy or briefly unavailable database must delay an outcome, never drop
/// it: a dropped outcome would leave the task running in the table and run it again after a rescue.
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
            catch (CarrotStoreException e)
            {
                logger.Warning("Could not {What} (try {Try}), retrying in {DelayMs} ms: {Reason}", what, attempt, (int)delay.TotalMilliseconds, e.Message);
                await Task.Delay(delay, giveUp);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
            }
        }
    }
}

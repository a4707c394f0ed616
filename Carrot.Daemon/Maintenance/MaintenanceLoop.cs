using Carrot.Daemon.Hosting;
using Carrot.Storage;

namespace Carrot.Daemon.Maintenance;

/// <summary>
/// The loop of a timed maintenance service: run one step, sleep a period, again, until the daemon stops. A step
/// that throws anything is reported through a <see cref="FaultLog"/> (one line per problem, a trace at most once)
/// and the loop goes on, waiting twice as long after each failure in a row, up to <c>longestPause</c>; the first
/// success brings the period back.
/// </summary>
internal sealed class MaintenanceLoop(string name, Serilog.ILogger logger, TimeProvider clock)
{
    private static readonly TimeSpan DefaultLongestPause = TimeSpan.FromSeconds(30);

    private readonly FaultLog _faults = new(logger, name);
    private ChangeSignal? _wakeUp;

    /// <param name="runAtOnce">Run the first step at once rather than after one period.</param>
    /// <param name="longestPause">The longest wait after failures; never shorter than the period.</param>
    /// <param name="wakeUp">Cuts a pause short when raised (the store announced a change).</param>
    public async Task RunAsync(Func<CancellationToken, Task> step, TimeSpan period, CancellationToken stoppingToken, bool runAtOnce = true, TimeSpan? longestPause = null, ChangeSignal? wakeUp = null)
    {
        _wakeUp = wakeUp;
        var longest = TimeSpan.FromTicks(Math.Max(period.Ticks, (longestPause ?? DefaultLongestPause).Ticks));
        var pause = period;
        if (!runAtOnce && !await SleepAsync(period, stoppingToken))
        {
            return;
        }

        while (true)
        {
            try
            {
                await step(stoppingToken);
                _faults.Succeeded();
                pause = period;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                pause = _faults.IsFailing ? TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, longest.Ticks)) : period;
                _faults.Failed(e, pause);
            }

            if (!await SleepAsync(pause, stoppingToken))
            {
                return;
            }
        }
    }

    private async Task<bool> SleepAsync(TimeSpan pause, CancellationToken stoppingToken)
    {
        try
        {
            if (_wakeUp is null)
            {
                await Task.Delay(pause, clock, stoppingToken);
            }
            else
            {
                await _wakeUp.WaitAsync(pause, clock, stoppingToken);
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}

using Carrot.Tasks;

namespace MyLib;

/// <summary>A task that talks while it runs: its lines can be tailed live (the monitor, <c>carrot tasks show ID --logs --follow</c>).</summary>
public static class Chatter
{
    /// <summary>Logs <paramref name="lines"/> lines, one every <paramref name="intervalMs"/> milliseconds, and returns how many.</summary>
    public static async Task<int> Talk(int lines, int intervalMs, TaskContext context)
    {
        for (var i = 1; i <= lines; i++)
        {
            context.Log.LogInformation($"line {i} of {lines}");
            if (intervalMs > 0)
            {
                await Task.Delay(intervalMs, context.CancellationToken);
            }
        }

        return lines;
    }
}

using Carrot.Tasks;

namespace MyLib;

/// <summary>
/// A task for Carrot's multi-host tests: each run appends a line when it starts and another when it ends, naming
/// the task, the attempt, the host and the process, so a checker can tell which host ran what and when — also for a
/// run cut short by a killed host, which leaves a start without an end.
/// <code>
/// start TASK_ID ATTEMPT HOST PID START_MS
/// end TASK_ID ATTEMPT HOST PID START_MS END_MS
/// </code>
/// </summary>
public static class HostProbe
{
    /// <summary>Sleeps <paramref name="milliseconds"/> between the two lines; returns <c>host:pid</c>, so the stored result says whose outcome was recorded.</summary>
    public static async Task<string> Run(string logFile, int milliseconds, TaskContext context)
    {
        var host = Environment.MachineName;
        var pid = Environment.ProcessId;
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await ExecutionLog.AppendLineAsync(logFile, $"start {context.TaskId} {context.Attempt} {host} {pid} {start}");
        await Task.Delay(milliseconds, context.CancellationToken);
        var end = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await ExecutionLog.AppendLineAsync(logFile, $"end {context.TaskId} {context.Attempt} {host} {pid} {start} {end}");
        return $"{host}:{pid}";
    }

}

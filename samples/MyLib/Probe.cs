using System.Diagnostics;
using Carrot.Tasks;

namespace MyLib;

/// <summary>
/// Tasks that report what happened to them, used by Carrot's own tests: each run appends one line
/// "task_id attempt pid start_ms end_ms" to a file, so a checker can count lost, duplicated and overlapping runs.
/// </summary>
public static class Probe
{
    public static async Task<int> Run(string logFile, int milliseconds, TaskContext context)
    {
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        context.Log.LogInformation($"probe started, sleeping {milliseconds} ms");
        await Task.Delay(milliseconds, context.CancellationToken);
        var end = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await ExecutionLog.AppendLineAsync(logFile, $"{context.TaskId} {context.Attempt} {Environment.ProcessId} {start} {end}");
        return Environment.ProcessId;
    }

    /// <summary>As <see cref="Run"/>, but ignores its token: a runaway after a timeout or a cancel, for Carrot's fault tests.</summary>
    public static async Task<int> RunIgnoringToken(string logFile, int milliseconds, TaskContext context)
    {
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await Task.Delay(milliseconds, CancellationToken.None);
        var end = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await ExecutionLog.AppendLineAsync(logFile, $"{context.TaskId} {context.Attempt} {Environment.ProcessId} {start} {end}");
        return Environment.ProcessId;
    }


    /// <summary>Sleeps, ignoring cancellation only if told to: for shutdown tests.</summary>
    public static async Task Sleep(int milliseconds, bool ignoreCancellation = false, CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        await Task.Delay(milliseconds, ignoreCancellation ? CancellationToken.None : cancellationToken);
        Console.WriteLine($"slept {stopwatch.ElapsedMilliseconds} ms");
    }

    /// <summary>Two overloads that a bare number fits equally well: Carrot must refuse to guess.</summary>
    public static int Echo(int value) => value;

    public static long Echo(long value) => value;

    /// <summary>Throws an exception whose message is <paramref name="characters"/> long: for Carrot's output-size tests.</summary>
    public static void ThrowHuge(int characters) => throw new InvalidOperationException(new string('E', characters));

    /// <summary>Kills the process running it, every time: a poison task, for Carrot's fault tests.</summary>
    public static void Crash() => Environment.FailFast("MyLib.Probe.Crash kills its process on purpose");
}

namespace CrashingTasks;

/// <summary>Each ends the process that runs it; in a process worker only its runner goes.</summary>
public static class Crashes
{
    public static void Exit(int code) => Environment.Exit(code);

    public static void FailFast() => Environment.FailFast("CrashingTasks.Crashes.FailFast was asked to fail fast");

    public static int Overflow(int depth) => Overflow(depth + 1) + 1;

    /// <summary>Allocates and touches <paramref name="megabytes"/> MiB, then holds it: inside a small cgroup the kernel kills it.</summary>
    public static int Allocate(int megabytes)
    {
        var blocks = new List<byte[]>();
        for (var i = 0; i < megabytes; i++)
        {
            var block = new byte[1024 * 1024];
            Array.Fill(block, (byte)1);
            blocks.Add(block);
        }

        return blocks.Count;
    }

    /// <summary>
    /// Writes its pid to <paramref name="pidFile"/>, waits for <paramref name="goFile"/> (the test has moved this
    /// process into a small memory cgroup by then), then allocates <paramref name="megabytes"/> MiB.
    /// </summary>
    public static async Task<int> AllocateWhenTold(string pidFile, string goFile, int megabytes, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(pidFile, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        while (!File.Exists(goFile))
        {
            await Task.Delay(20, cancellationToken);
        }

        return Allocate(megabytes);
    }

    /// <summary>Writes its pid to <paramref name="pidFile"/>, then waits to be killed from outside (kill -9).</summary>
    public static async Task WaitForKill(string pidFile, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(pidFile, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        await Task.Delay(TimeSpan.FromMinutes(5), cancellationToken);
    }
}

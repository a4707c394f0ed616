using Carrot.Tasks;

namespace CrashingTasks;

/// <summary>Well-behaved tasks, and one that ignores its token, for the isolation tests.</summary>
public static class Neighbours
{
    // Leaked on purpose by Hold: memory a task keeps after it returned.
    private static readonly List<byte[]> Held = [];

    public static int ProcessId() => Environment.ProcessId;

    public static async Task<string> Hello(string name, int milliseconds, CancellationToken cancellationToken)
    {
        await Task.Delay(milliseconds, cancellationToken);
        return $"hello {name}";
    }

    /// <summary>Writes lines with a pause between them, to the console and through the context.</summary>
    public static async Task<int> Talk(int lines, int pauseMilliseconds, TaskContext context)
    {
        for (var i = 1; i <= lines; i++)
        {
            context.Log.LogInformation($"line {i} through the context");
            Console.WriteLine($"line {i} on the console");
            await Task.Delay(pauseMilliseconds, context.CancellationToken);
        }

        return Environment.ProcessId;
    }

    /// <summary>Ignores its token: blocks for <paramref name="seconds"/>, then writes <paramref name="markerFile"/> (a side effect).</summary>
    public static void IgnoreToken(int seconds, string markerFile)
    {
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        File.WriteAllText(markerFile, "the side effect happened");
    }

    /// <summary>Keeps <paramref name="megabytes"/> MiB after it returns, as a leak would; returns its pid.</summary>
    public static int Hold(int megabytes)
    {
        for (var i = 0; i < megabytes; i++)
        {
            var block = new byte[1024 * 1024];
            Array.Fill(block, (byte)1);
            Held.Add(block);
        }

        return Environment.ProcessId;
    }

    public static void Throw(string message) => throw new InvalidOperationException(message);
}

using Carrot.Tasks;

namespace MyLib;

/// <summary>The quick start's tasks. Static methods, called as MyLib.Jobs.NAME.</summary>
public static class Jobs
{
    /// <summary><c>carrot enqueue MyLib.Jobs.Bark --args '["Rex"]' --kwargs '{"times": 2}'</c></summary>
    public static string Bark(string name, int times = 1, TaskContext? context = null)
    {
        var barks = string.Join(' ', Enumerable.Repeat("Woof!", times));
        context?.Log.LogInformation($"{name} barks {times} time(s)");
        return $"{name}: {barks}";
    }

    /// <summary>The seed's file processor: pretends to process a large file, taking a while.</summary>
    public static async Task<FileReport> ProcessFile(string path, int bitrate = 1411, int milliseconds = 1000, CancellationToken cancellationToken = default)
    {
        Console.WriteLine($"processing {path} at {bitrate} kbps");
        await Task.Delay(milliseconds, cancellationToken);
        return new FileReport(path, bitrate, milliseconds);
    }

    public static int Add(int a, int b) => a + b;

    public static string Add(string a, string b) => a + b;

    /// <summary>Always fails, so you can see how a failure is recorded. Retrying would not help, so its attribute allows none.</summary>
    [CarrotTask(MaxRetries = 0)]
    public static void Explode(string why = "boom") => throw new InvalidOperationException($"Exploded: {why}");

    public static class Nested
    {
        public static string Ping() => "pong";
    }
}

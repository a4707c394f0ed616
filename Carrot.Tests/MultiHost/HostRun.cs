using System.Globalization;

namespace Carrot.Tests.MultiHost;

/// <summary>
/// One run of <c>MyLib.HostProbe.Run</c>, read from its execution log: the start line, and the end line if the run got
/// that far (<see cref="EndMs"/> is null for a run its host was killed in).
/// </summary>
internal sealed record HostRun(long TaskId, int Attempt, string Host, int Pid, long StartMs, long? EndMs)
{
    public string Node => $"{Host}:{Pid.ToString(CultureInfo.InvariantCulture)}";

    public static IReadOnlyList<HostRun> Read(string path)
    {
        var lines = ReadLines(path).Select(l => l.Split(' ')).ToList();
        var ends = lines.Where(p => p[0] == "end")
            .ToDictionary(p => (Task: Long(p[1]), Attempt: Int(p[2]), Host: p[3]), p => Long(p[6]));
        return lines.Where(p => p[0] == "start")
            .Select(p => new HostRun(Long(p[1]), Int(p[2]), p[3], Int(p[4]), Long(p[5]),
                ends.TryGetValue((Long(p[1]), Int(p[2]), p[3]), out var end) ? end : null))
            .ToList();
    }

    /// <summary>
    /// Runs of one task that were in progress at the same instant: for each task, its runs in order of start, each
    /// must have ended before the next began. A run without an end counts as running until <paramref name="cutOffMs"/>
    /// (when its host was killed), or for ever if no cut-off is known.
    /// </summary>
    public static IReadOnlyList<string> Overlaps(IEnumerable<HostRun> runs, Func<HostRun, long?> cutOffMs) =>
        runs.GroupBy(r => r.TaskId)
            .SelectMany(task => task.OrderBy(r => r.StartMs).Zip(task.OrderBy(r => r.StartMs).Skip(1)))
            .Where(pair => (pair.First.EndMs ?? cutOffMs(pair.First) ?? long.MaxValue) > pair.Second.StartMs)
            .Select(pair => $"task {pair.First.TaskId}: attempt {pair.First.Attempt} on {pair.First.Host} ({pair.First.StartMs}–{pair.First.EndMs?.ToString(CultureInfo.InvariantCulture) ?? "no end"}) " +
                $"and attempt {pair.Second.Attempt} on {pair.Second.Host} (from {pair.Second.StartMs})")
            .ToList();

    // Writers hold an exclusive lock for the moment they append; a read that meets it tries again.
    private static string[] ReadLines(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return File.Exists(path) ? File.ReadAllLines(path).Where(l => l.Length > 0).ToArray() : [];
            }
            catch (IOException) when (attempt < 200)
            {
                Thread.Sleep(5);
            }
        }
    }

    private static long Long(string text) => long.Parse(text, CultureInfo.InvariantCulture);

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);
}

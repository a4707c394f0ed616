using System.Globalization;

namespace Carrot.Tests.EndToEnd;

/// <summary>The lines MyLib.Probe.Run appends: "task_id attempt pid start_ms end_ms", one per run.</summary>
internal sealed record ProbeLog(long TaskId, int Attempt, int Pid, long StartMs, long EndMs)
{
    public static IReadOnlyList<ProbeLog> Read(string path)
    {
        // Writers hold an exclusive lock for the moment they append; a read that meets it tries again.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return File.Exists(path) ? File.ReadAllLines(path).Where(l => l.Length > 0).Select(Parse).ToList() : [];
            }
            catch (IOException) when (attempt < 200)
            {
                Thread.Sleep(5);
            }
        }
    }

    /// <summary>The largest number of runs that were in progress at one instant.</summary>
    public static int MaxOverlap(IReadOnlyList<ProbeLog> runs) =>
        runs.SelectMany(r => new[] { (At: r.StartMs, Delta: 1), (At: r.EndMs, Delta: -1) })
            .OrderBy(e => e.At).ThenBy(e => e.Delta)
            .Aggregate((Current: 0, Max: 0), (acc, e) => (acc.Current + e.Delta, Math.Max(acc.Max, acc.Current + e.Delta)))
            .Max;

    private static ProbeLog Parse(string line)
    {
        var parts = line.Split(' ');
        return new ProbeLog(long.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture),
            int.Parse(parts[2], CultureInfo.InvariantCulture), long.Parse(parts[3], CultureInfo.InvariantCulture), long.Parse(parts[4], CultureInfo.InvariantCulture));
    }
}

using System.Globalization;
using Carrot.Client;
using Carrot.Records;
using Carrot.Tasks;

namespace Carrot.Soak;

/// <summary>Compares the database with the execution log: every task succeeded, none ran twice at once.</summary>
internal static class Audit
{
    public static async Task<int> RunAsync(CarrotClient client, string probePath, int total, List<string> faults, TimeSpan elapsed)
    {
        var tasks = await client.ListTasksAsync(new TaskQuery { Worker = "soak", Limit = total + 10 });
        var runs = File.ReadAllLines(probePath).Where(l => l.Length > 0)
            .Select(l => l.Split(' ').Select(p => long.Parse(p, CultureInfo.InvariantCulture)).ToArray())
            .GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.ToList());

        var lost = tasks.Count(t => t.State != TaskState.Succeeded);
        var neverRan = tasks.Count(t => !runs.ContainsKey(t.Id));
        var reRuns = runs.Values.Count(r => r.Count > 1);
        var sameAttemptTwice = runs.Values.Count(r => r.GroupBy(p => p[1]).Any(g => g.Count() > 1));
        var overlapping = runs.Values.Count(r => r.Any(a => r.Any(b => !ReferenceEquals(a, b) && a[3] < b[4] && b[3] < a[4])));

        Console.WriteLine();
        Console.WriteLine($"tasks {tasks.Count} of {total} recorded, {elapsed.TotalMinutes:0.0} min, faults {faults.Count}: " +
            string.Join(", ", faults.GroupBy(f => f).Select(g => $"{g.Key} ×{g.Count()}")));
        Console.WriteLine($"not succeeded (lost or failed): {lost}");
        Console.WriteLine($"succeeded without a run in the log: {neverRan}");
        Console.WriteLine($"ran more than once (re-run after a crash, attempt counted): {reRuns}");
        Console.WriteLine($"ran twice with the same attempt (a duplicate delivery that ran): {sameAttemptTwice}");
        Console.WriteLine($"two runs of one task overlapping in time: {overlapping}");
        var ok = tasks.Count == total && lost == 0 && neverRan == 0 && sameAttemptTwice == 0 && overlapping == 0;
        Console.WriteLine(ok ? "SOAK PASSED" : "SOAK FAILED");
        return ok ? 0 : 1;
    }
}

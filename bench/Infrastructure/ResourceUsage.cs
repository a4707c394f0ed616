using System.Globalization;

namespace Carrot.Bench.Infrastructure;

/// <summary>
/// What a measured stretch used: the machine's CPU busy share, CPU seconds by process group, and (PostgreSQL) the
/// share of samples of active backends by wait event — "CPU" means running, IO:WALSync an fsync of the WAL,
/// Lock:* a wait for another transaction's row lock (a hot row).
/// </summary>
internal sealed record ResourceUsage(double Seconds, double MachineBusyPercent, IReadOnlyDictionary<string, double> CpuSeconds, IReadOnlyDictionary<string, int> WaitSamples, int Samples, string LoadAverage)
{
    public override string ToString()
    {
        var cpu = string.Join(", ", CpuSeconds.OrderByDescending(c => c.Value).Select(c => $"{c.Key} {c.Value.ToString("0.0", CultureInfo.InvariantCulture)} s"));
        var text = $"load {LoadAverage}; machine CPU {MachineBusyPercent.ToString("0", CultureInfo.InvariantCulture)} % busy over {Seconds.ToString("0.0", CultureInfo.InvariantCulture)} s; CPU {cpu}";
        var total = WaitSamples.Values.Sum();
        if (total > 0)
        {
            var waits = string.Join(", ", WaitSamples.OrderByDescending(w => w.Value).Take(6)
                .Select(w => $"{w.Key} {(100.0 * w.Value / total).ToString("0", CultureInfo.InvariantCulture)} %"));
            text += $"; active backends (mean {(total / (double)Math.Max(Samples, 1)).ToString("0.0", CultureInfo.InvariantCulture)}): {waits}";
        }

        return text;
    }
}

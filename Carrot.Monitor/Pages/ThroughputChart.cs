using System.Globalization;
using System.Text;
using Carrot.Monitor.Json;
using static Carrot.Monitor.Pages.Html;

namespace Carrot.Monitor.Pages;

/// <summary>A stacked bar chart (succeeded under failed) drawn as inline SVG on the server: no chart script, nothing inline to allow in the CSP.</summary>
internal static class ThroughputChart
{
    private const int Width = 600;
    private const int Height = 130;
    private const int Bottom = 112;

    public static string Render(string title, string id, IReadOnlyList<ThroughputView> buckets, string labelFormat)
    {
        var max = Math.Max(1, buckets.Count == 0 ? 1 : buckets.Max(b => b.Succeeded + b.Failed));
        var barWidth = buckets.Count == 0 ? 0 : (double)Width / buckets.Count;
        var svg = new StringBuilder();
        for (var i = 0; i < buckets.Count; i++)
        {
            var b = buckets[i];
            var x = F(i * barWidth + 1);
            var w = F(Math.Max(1, barWidth - 2));
            var okHeight = (double)b.Succeeded / max * (Bottom - 4);
            var badHeight = (double)b.Failed / max * (Bottom - 4);
            var tip = $"{b.Start.UtcDateTime.ToString(labelFormat, CultureInfo.InvariantCulture)}: {b.Succeeded} succeeded, {b.Failed} failed";
            svg.Append(CultureInfo.InvariantCulture, $"<g><title>{E(tip)}</title>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"ok\" x=\"{x}\" y=\"{F(Bottom - okHeight)}\" width=\"{w}\" height=\"{F(okHeight)}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"bad\" x=\"{x}\" y=\"{F(Bottom - okHeight - badHeight)}\" width=\"{w}\" height=\"{F(badHeight)}\"/></g>");
            if (i % Math.Max(1, buckets.Count / 6) == 0)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"{x}\" y=\"{Height - 4}\">{E(b.Start.UtcDateTime.ToString(labelFormat, CultureInfo.InvariantCulture))}</text>");
            }
        }

        var total = buckets.Sum(b => b.Succeeded);
        var failed = buckets.Sum(b => b.Failed);
        return $"""
            <div class="chart" id="{id}"><strong>{E(title)}</strong> — {Number(total)} succeeded, {Number(failed)} failed (peak {Number(max)} per bar)
            <svg viewBox="0 0 {Width} {Height}" preserveAspectRatio="none" role="img" aria-label="{E(title)}">{svg}<text class="axis" x="{Width - 40}" y="10">max {max}</text></svg></div>
            """;
    }

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}

namespace Carrot.Tests.Observability;

/// <summary>
/// Scrapes a /metrics endpoint until a sample line matches. The outcome counter is added once carrotd's writer has
/// committed the outcome, a moment after a waiting client can see it, so a scrape right after may be too early.
/// </summary>
internal static class MetricsScrape
{
    public static async Task<string> UntilAsync(string url, Func<string, bool> sampleLine, TimeSpan timeout)
    {
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var text = await http.GetStringAsync(url);
            if (text.Split('\n').Any(l => !l.StartsWith('#') && sampleLine(l)) || DateTime.UtcNow > deadline)
            {
                return text;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The first sample line of a metric (not its # HELP and # TYPE lines), or "" when it has none.</summary>
    public static string Line(string exposition, string name) =>
        exposition.Split('\n').FirstOrDefault(l => !l.StartsWith('#') && l.StartsWith(name, StringComparison.Ordinal)) ?? "";
}

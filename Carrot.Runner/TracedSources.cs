using System.Text.RegularExpressions;

namespace Carrot.Runner;

/// <summary>
/// The ActivitySource names carrotd exports (its <c>"otlp": {"sources"}</c>), matched as the OpenTelemetry SDK's
/// <c>AddSource</c> matches them: case-insensitive, <c>*</c> for any run of characters and <c>?</c> for one.
/// </summary>
internal sealed class TracedSources(IReadOnlyList<string> patterns)
{
    private readonly Regex[] _patterns = [.. patterns.Select(p => new Regex(
        "^" + Regex.Escape(p.Trim()).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant))];

    public bool Any => _patterns.Length > 0;

    public bool Match(string sourceName) => _patterns.Any(p => p.IsMatch(sourceName));
}

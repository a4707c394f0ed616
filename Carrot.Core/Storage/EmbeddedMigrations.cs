using System.Globalization;

namespace Carrot.Storage;

/// <summary>An engine's schema migrations, embedded in Carrot.Core as <c>PREFIX.NNN_name.sql</c>, in version order.</summary>
internal sealed class EmbeddedMigrations
{
    private EmbeddedMigrations(IReadOnlyList<(int Version, string Name)> steps) => Steps = steps;

    public IReadOnlyList<(int Version, string Name)> Steps { get; }

    public int LatestVersion => Steps[^1].Version;

    public static EmbeddedMigrations Find(string prefix)
    {
        var found = typeof(EmbeddedMigrations).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => (Version: int.Parse(n.AsSpan(prefix.Length, 3), CultureInfo.InvariantCulture), Name: n))
            .OrderBy(m => m.Version)
            .ToList();
        return found.Count > 0 ? new EmbeddedMigrations(found) : throw new InvalidOperationException($"No schema migrations named {prefix}* are embedded in Carrot.Core.");
    }

    public static string Read(string resourceName)
    {
        using var stream = typeof(EmbeddedMigrations).Assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"Missing embedded migration {resourceName}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

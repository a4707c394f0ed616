using Carrot.Kallables;

namespace Carrot.Daemon.Reloading;

/// <summary>What a reload changed, for the log: assemblies added, removed or loaded again, kallables added or removed.</summary>
internal sealed record CatalogChanges(
    IReadOnlyList<string> AssembliesAdded,
    IReadOnlyList<string> AssembliesRemoved,
    IReadOnlyList<string> AssembliesReloaded,
    int AssembliesUnchanged,
    IReadOnlyList<string> KallablesAdded,
    IReadOnlyList<string> KallablesRemoved)
{
    public static CatalogChanges Between(KallableCatalog before, KallableCatalog after)
    {
        var old = before.Assemblies.ToDictionary(a => a.Path, StringComparer.Ordinal);
        var added = after.Assemblies.Where(a => !old.ContainsKey(a.Path)).Select(a => a.Path).ToList();
        var removed = before.Assemblies.Where(a => after.Assemblies.All(n => n.Path != a.Path)).Select(a => a.Path).ToList();
        var reloaded = after.Assemblies.Where(a => old.TryGetValue(a.Path, out var o) && o.Context != a.Context).Select(a => a.Path).ToList();
        var unchanged = after.Assemblies.Count(a => old.TryGetValue(a.Path, out var o) && o.Context == a.Context);
        var kallablesBefore = before.All().Select(k => k.Name).ToHashSet(StringComparer.Ordinal);
        var kallablesAfter = after.All().Select(k => k.Name).ToHashSet(StringComparer.Ordinal);
        return new CatalogChanges(
            added,
            removed,
            reloaded,
            unchanged,
            kallablesAfter.Except(kallablesBefore).Order(StringComparer.Ordinal).ToList(),
            kallablesBefore.Except(kallablesAfter).Order(StringComparer.Ordinal).ToList());
    }

    public string Summary() =>
        $"{AssembliesAdded.Count} task assemblies added, {AssembliesReloaded.Count} reloaded, {AssembliesRemoved.Count} removed, "
        + $"{AssembliesUnchanged} unchanged; {KallablesAdded.Count} kallables added, {KallablesRemoved.Count} removed";

    public IEnumerable<string> Details() =>
        AssembliesAdded.Select(p => $"added {p}")
            .Concat(AssembliesReloaded.Select(p => $"reloaded {p} (new tasks run the new code; running tasks finish on the old)"))
            .Concat(AssembliesRemoved.Select(p => $"removed {p}"))
            .Concat(KallablesAdded.Select(k => $"+ {k}"))
            .Concat(KallablesRemoved.Select(k => $"- {k}"));
}

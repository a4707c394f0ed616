using Carrot.Kallables;

namespace Carrot.Daemon.Reloading;

/// <summary>
/// The daemon's current kallable catalogue, replaceable while tasks run. Each task holds a lease on the catalogue
/// it started with, so it finishes on the code it began on; a replaced catalogue's assembly contexts are unloaded
/// once its last lease is released (except those the new catalogue kept because their files did not change).
/// </summary>
internal sealed class KallableCatalogSource
{
    private readonly Lock _gate = new();
    private readonly Serilog.ILogger _logger;
    private readonly List<CatalogGeneration> _retired = [];
    private CatalogGeneration _current;

    public KallableCatalogSource(KallableCatalog initial, Serilog.ILogger logger)
    {
        _current = new CatalogGeneration(initial);
        _logger = logger;
    }

    /// <summary>The catalogue new tasks start with.</summary>
    public KallableCatalog Current
    {
        get
        {
            lock (_gate)
            {
                return _current.Catalog;
            }
        }
    }

    /// <summary>The current catalogue, held until the lease is disposed (when the task has ended).</summary>
    public CatalogLease Acquire()
    {
        lock (_gate)
        {
            _current.Leases++;
            return new CatalogLease(this, _current);
        }
    }

    /// <summary>New tasks use <paramref name="next"/> from now on; running tasks keep the catalogue they started with.</summary>
    public void Replace(KallableCatalog next)
    {
        lock (_gate)
        {
            _retired.Add(_current);
            _current = new CatalogGeneration(next);
            UnloadUnused();
        }
    }

    internal void Release(CatalogGeneration generation)
    {
        lock (_gate)
        {
            generation.Leases--;
            UnloadUnused();
        }
    }

    private void UnloadUnused()
    {
        var done = _retired.Where(g => g.Leases == 0).ToList();
        if (done.Count == 0)
        {
            return;
        }

        _retired.RemoveAll(done.Contains);

        // A context is still needed by the current catalogue, or by an older one with tasks still running on it.
        var inUse = _retired.Append(_current).SelectMany(g => g.Catalog.Assemblies).Select(a => a.Context).ToHashSet();
        foreach (var assembly in done.SelectMany(g => g.Catalog.Assemblies).Where(a => !inUse.Contains(a.Context)).DistinctBy(a => a.Context))
        {
            assembly.Context.Unload();
            inUse.Add(assembly.Context);
            _logger.Information("Unloaded the previous code of task assembly {Path}: no task runs on it any more", assembly.Path);
        }
    }
}

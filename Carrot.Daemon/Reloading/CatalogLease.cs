using Carrot.Kallables;

namespace Carrot.Daemon.Reloading;

/// <summary>A running task's hold on the catalogue it started with; disposing it lets a replaced catalogue be unloaded.</summary>
internal sealed class CatalogLease(KallableCatalogSource source, CatalogGeneration generation) : IDisposable
{
    private int _released;

    public KallableCatalog Catalog { get; } = generation.Catalog;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            source.Release(generation);
        }
    }
}

using Carrot.Kallables;

namespace Carrot.Daemon.Reloading;

/// <summary>One catalogue the daemon has used, and how many running tasks still hold it. Guarded by <see cref="KallableCatalogSource"/>'s lock.</summary>
internal sealed class CatalogGeneration(KallableCatalog catalog)
{
    public KallableCatalog Catalog { get; } = catalog;

    public int Leases { get; set; }
}

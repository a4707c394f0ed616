using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Carrot.Kallables;

/// <summary>
/// JSON options that never keep a task assembly alive. A JsonSerializerOptions caches metadata for every type it
/// has seen, for as long as it lives (and options with equal settings share that cache process-wide), so a shared
/// instance would keep every replaced task assembly in memory after a reload. Framework types (strings, numbers,
/// lists of them) share one instance; a type from a task assembly gets fresh options with a resolver of their
/// own, used once and dropped. That costs building its metadata per task, a fraction of a millisecond next to
/// what a task does (System.Text.Json keeps the generated accessors briefly in a cache of its own that expires).
/// </summary>
internal sealed class TaskJsonOptions(Func<JsonSerializerOptions> create)
{
    private readonly JsonSerializerOptions _shared = create();

    public JsonSerializerOptions For(Type type)
    {
        if (!type.IsCollectible)
        {
            return _shared;
        }

        var own = create();
        own.TypeInfoResolver = new DefaultJsonTypeInfoResolver();
        return own;
    }
}

using Carrot.Client;
using Carrot.Monitor.Security;
using Carrot.Storage;
using Carrot.Storage.Monitoring;
using Microsoft.AspNetCore.Http;

namespace Carrot.Monitor.Data;

/// <summary>One mounted monitor: where it is mounted, the client it acts through, its queries, and its bulk jobs.</summary>
internal sealed class MonitorContext(string prefix, Func<CancellationToken, ValueTask<CarrotClient>> client, CarrotMonitorOptions options, CancellationToken stopping)
{
    private MonitorStore? _store;
    private ThroughputStore? _throughput;

    /// <summary>The group's path below the application's path base: "" or "/carrot".</summary>
    public string Prefix { get; } = prefix;

    public CarrotMonitorOptions Options { get; } = options;

    public BulkActions Bulk { get; } = new(stopping);

    public ValueTask<CarrotClient> ClientAsync(CancellationToken cancellationToken) => client(cancellationToken);

    /// <summary>The monitor's own queries, on the client's engine (one connection pool).</summary>
    public async ValueTask<MonitorStore> StoreAsync(CancellationToken cancellationToken)
    {
        if (_store is { } store)
        {
            return store;
        }

        var carrot = await client(cancellationToken);
        return _store = new MonitorStore(new CarrotDatabase(carrot.Engine));
    }

    /// <summary>The charts' kept counts, on the client's engine and clock.</summary>
    public async ValueTask<ThroughputStore> ThroughputAsync(CancellationToken cancellationToken)
    {
        if (_throughput is { } throughput)
        {
            return throughput;
        }

        var carrot = await client(cancellationToken);
        return _throughput = new ThroughputStore(new CarrotDatabase(carrot.Engine), carrot.Clock);
    }

    /// <summary>The absolute path of a monitor page: the request's path base, the prefix, then <paramref name="path"/>.</summary>
    public string Url(HttpContext http, string path) => http.Request.PathBase.Value + Prefix + path;

    public bool CanAct(HttpContext http) =>
        MonitorRoles.IsReadOnly(http) is false && (Options.CanAct?.Invoke(http) ?? true);
}

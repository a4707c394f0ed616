using Carrot.Bench.Infrastructure;
using Carrot.Bench.Reporting;

namespace Carrot.Bench.Scenarios;

/// <summary>What every scenario gets: the options, the paths, the broker, the PostgreSQL server when a scenario needs one, and the ceilings measured so far.</summary>
internal sealed record ScenarioContext(BenchOptions Options, BenchPaths Paths, BenchBroker Broker, Ceilings Ceilings, BenchPostgres? Postgres = null)
{
    public Task<BenchWorld> NewWorldAsync(string name, CancellationToken cancellationToken) => NewWorldAsync(name, BenchStore.Sqlite, cancellationToken);

    public Task<BenchWorld> NewWorldAsync(string name, BenchStore store, CancellationToken cancellationToken) =>
        BenchWorld.CreateAsync(Broker, Paths, name, store == BenchStore.Postgres ? Postgres ?? throw new InvalidOperationException("No PostgreSQL server was started.") : null, cancellationToken);

    /// <summary>Starts a resource sampler on a world's processes (and its PostgreSQL database's wait events).</summary>
    public ResourceSampler Sample(BenchWorld world) =>
        ResourceSampler.Start(world.DaemonPids, world.PostmasterPid, world.PostgresConnectionString, Paths.Scratch);
}

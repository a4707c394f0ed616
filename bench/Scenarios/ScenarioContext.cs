using Carrot.Bench.Infrastructure;
using Carrot.Bench.Reporting;

namespace Carrot.Bench.Scenarios;

/// <summary>What every scenario gets: the options, the paths, the broker, and the ceilings measured so far.</summary>
internal sealed record ScenarioContext(BenchOptions Options, BenchPaths Paths, BenchBroker Broker, Ceilings Ceilings)
{
    public Task<BenchWorld> NewWorldAsync(string name, CancellationToken cancellationToken) => BenchWorld.CreateAsync(Broker, Paths, name, cancellationToken);
}

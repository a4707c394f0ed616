using Carrot.Bench.Reporting;

namespace Carrot.Bench.Scenarios;

internal interface IScenario
{
    string Name { get; }

    Task<IReadOnlyList<Measurement>> RunAsync(ScenarioContext context, CancellationToken cancellationToken);
}

using Carrot.Configuration;
using Carrot.Records;

namespace Carrot.Cli.Output.Views;

/// <summary><c>status --json</c>. The broker is shown redacted; brokerError is null when the broker answered.</summary>
internal sealed record StatusView(
    string Database,
    string Broker,
    string ConfigSource,
    string? BrokerError,
    IReadOnlyList<DaemonView> Daemons,
    IReadOnlyList<WorkerStatusView> Workers)
{
    public static StatusView From(CarrotOptions options, CarrotStatus status) => new(
        DatabaseAddress.Parse(options.Database).Redacted,
        BrokerAddressList.Parse(options.Broker).Redacted,
        options.Source,
        status.BrokerError,
        status.Daemons.Select(DaemonView.From).ToList(),
        status.Workers.Select(WorkerStatusView.From).ToList());
}

using Microsoft.Extensions.Hosting;

namespace Carrot.DependencyInjection;

/// <summary>
/// Starts the application's <see cref="Client.CarrotClient"/> with the host, before it serves requests, so the first
/// request does not pay for opening the database, and a wrong configuration stops the start with its message.
/// </summary>
internal sealed class CarrotClientStarter(CarrotClientProvider carrot) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken) => await carrot.GetClientAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

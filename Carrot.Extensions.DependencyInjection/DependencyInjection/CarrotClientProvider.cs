using Carrot.Client;
using Carrot.Configuration;

namespace Carrot.DependencyInjection;

/// <summary>
/// The application's one <see cref="CarrotClient"/>, created on first use — the database opened and migrated once,
/// not per request — and disposed with the service provider. Registered by <c>AddCarrot</c>.
/// </summary>
public sealed class CarrotClientProvider : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile CarrotClient? _client;

    // Set once the container resolved the CarrotClient service: from then on the container disposes the client
    // (it disposes whatever its factories return), and disposing it twice would fail.
    private volatile bool _containerOwnsClient;

    /// <summary>Used by the service provider; <paramref name="options"/> come from <c>AddCarrot</c>'s section.</summary>
    /// <param name="options">Where the database and the broker are.</param>
    public CarrotClientProvider(CarrotOptions options)
    {
        Options = options;
    }

    /// <summary>The options the client is (or will be) created with.</summary>
    public CarrotOptions Options { get; }

    /// <summary>
    /// The client, created on the first call; later calls return the same one at once. A failed creation (a
    /// database that cannot be opened) throws and is tried again on the next call.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting for the creation.</param>
    /// <returns>The started client, shared by the whole application.</returns>
    public async ValueTask<CarrotClient> GetClientAsync(CancellationToken cancellationToken = default)
    {
        if (_client is { } ready)
        {
            return ready;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            return _client ??= await CarrotClient.CreateAsync(Options, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Closes the client, unless the container handed it out as a service and closes it itself.</summary>
    /// <returns>When it is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_client is { } client && !_containerOwnsClient)
        {
            await client.DisposeAsync();
        }

        _gate.Dispose();
    }

    /// <summary>The factory of the <see cref="CarrotClient"/> service: the client the host started, which the container then owns.</summary>
    internal CarrotClient HandStartedClientToContainer()
    {
        var client = _client ?? throw new InvalidOperationException(
            "CarrotClient is not started yet: the host starts it when it starts (AddCarrot registers a hosted service for that). " +
            "Before the host runs, or without one, await CarrotClientProvider.GetClientAsync() instead.");
        _containerOwnsClient = true;
        return client;
    }
}

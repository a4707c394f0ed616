using Carrot.Tests.Support;

namespace Carrot.Tests;

/// <summary>
/// One private RabbitMQ node for the whole run, started on first use (unit tests never pay for it) and stopped
/// when the run ends. Tests stay apart through their own virtual hosts (<see cref="CreateVirtualHostAsync"/>).
/// </summary>
[SetUpFixture]
public sealed class SharedBroker
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static RabbitMqNode? _node;

    internal static async Task<RabbitMqNode> GetAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return _node ??= await RabbitMqNode.StartAsync(CancellationToken.None);
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>A fresh vhost that the guest user may use, so queues named after workers never meet another test's.</summary>
    internal static async Task<string> CreateVirtualHostAsync(RabbitMqNode node)
    {
        var vhost = "t-" + Guid.NewGuid().ToString("N")[..12];
        await node.CtlAsync("add_vhost", vhost);
        await node.CtlAsync("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
        return vhost;
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
            _node = null;
        }
    }
}

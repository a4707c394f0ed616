using Carrot.Configuration;
using Carrot.Errors;
using Carrot.Messaging;
using Carrot.Tests.Support;

namespace Carrot.Tests.Integration.Messaging;

/// <summary>A broker list against a real node: the connection takes whichever listed node answers, and says so when none does.</summary>
[TestFixture]
[Category("Integration")]
public sealed class BrokerListConnectionTests : SandboxTest
{
    [Test]
    public async Task Connect_WithDeadNodesListed_ReachesTheLiveOne_EveryTime()
    {
        var vhost = new Uri(Sandbox.BrokerUri).AbsolutePath;
        var options = new CarrotOptions { Broker = $"amqp://guest:guest@127.0.0.1:1{vhost}, {Sandbox.BrokerUri}, amqp://guest:guest@127.0.0.1:2{vhost}" };
        var connector = new BrokerConnector(options);

        // The client takes the list in random order: several connects meet the dead nodes first, in any position.
        for (var i = 0; i < 6; i++)
        {
            await using var connection = await connector.ConnectAsync("broker-list-test", CancellationToken.None, TimeSpan.FromSeconds(3));
            Assert.That(connection.Endpoint.Port, Is.EqualTo(Sandbox.Node.AmqpPort));
        }
    }

    [Test]
    public void Connect_WithNoNodeUp_SaysItTriedThemAll_WithoutThePassword()
    {
        var connector = new BrokerConnector(new CarrotOptions { Broker = "amqp://guest:Secret1@127.0.0.1:1/,amqp://guest:Secret1@127.0.0.1:2/" });

        var e = Assert.ThrowsAsync<BrokerUnavailableException>(() => connector.ConnectAsync("broker-list-test", CancellationToken.None, TimeSpan.FromSeconds(3)))!;

        Assert.Multiple(() =>
        {
            Assert.That(e.Message, Does.StartWith("Cannot reach any of the 2 RabbitMQ nodes at amqp://guest:***@127.0.0.1:1/, amqp://guest:***@127.0.0.1:2/: "));
            Assert.That(e.Message, Does.Not.Contain("Secret1"));
        });
    }
}

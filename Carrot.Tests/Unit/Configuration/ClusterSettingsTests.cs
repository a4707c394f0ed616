using Carrot.Configuration;
using Carrot.Errors;
using Microsoft.Extensions.Configuration;
using NUnit.Framework;

namespace Carrot.Tests.Unit.Configuration;

/// <summary>The broker list and queueType as read from a file, a configuration section and the CARROT_* variables.</summary>
[TestFixture]
public sealed class ClusterSettingsTests : ConfigurationTestBase
{
    [Test]
    public void QueueType_IsClassic_ByDefault()
    {
        var options = LoadJson("""{ "database": "c.db" }""");

        Assert.That(QueueTypeSetting.Of(options), Is.EqualTo(BrokerQueueType.Classic));
    }

    [TestCase("quorum", true)]
    [TestCase("Quorum", true)]
    [TestCase("classic", false)]
    public void QueueType_IsRead_FromTheFile_InAnyCase(string value, bool quorum)
    {
        var options = LoadJson($$"""{ "database": "c.db", "queueType": "{{value}}" }""");

        Assert.That(QueueTypeSetting.Of(options), Is.EqualTo(quorum ? BrokerQueueType.Quorum : BrokerQueueType.Classic));
    }

    [Test]
    public void QueueType_FromTheVariable_OverridesTheFile()
    {
        Variables[CarrotConfiguration.QueueTypeVariable] = "quorum";

        var options = LoadJson("""{ "database": "c.db", "queueType": "classic" }""");

        Assert.That(QueueTypeSetting.Of(options), Is.EqualTo(BrokerQueueType.Quorum));
    }

    [Test]
    public void QueueType_Unknown_InTheFile_IsRefusedInOneLine()
    {
        var e = Assert.Throws<CarrotConfigurationException>(() => LoadJson("""{ "database": "c.db", "queueType": "stream" }"""))!;

        Assert.That(e.Message, Does.StartWith($"\"queueType\" in {Path.Combine(Folder, "carrot.json")} is 'stream'; it must be classic").And.Contain("or quorum"));
    }

    [Test]
    public void QueueType_Unknown_InTheVariable_NamesTheVariable()
    {
        Variables[CarrotConfiguration.QueueTypeVariable] = "mirrored";

        var e = Assert.Throws<CarrotConfigurationException>(() => LoadJson("""{ "database": "c.db" }"""))!;

        Assert.That(e.Message, Does.StartWith("CARROT_QUEUE_TYPE is 'mirrored'; it must be classic"));
    }

    [Test]
    public void Broker_AsAListInTheFile_BecomesTheCommaSeparatedForm_InOrder()
    {
        var nodes = Enumerable.Range(1, 11).Select(i => $"amqp://u:p@rmq{i}:5672/v").ToList();

        var options = LoadJson($$"""{ "database": "c.db", "broker": [{{string.Join(", ", nodes.Select(n => $"\"{n}\""))}}] }""");

        Assert.Multiple(() =>
        {
            Assert.That(options.Broker, Is.EqualTo(string.Join(',', nodes)));
            Assert.That(BrokerAddressList.Parse(options.Broker).Addresses, Has.Count.EqualTo(11));
        });
    }

    [Test]
    public void Broker_AsOneStringInTheFile_StaysAsItIs()
    {
        var options = LoadJson("""{ "database": "c.db", "broker": "amqp://u:p@rmq1:5672/v" }""");

        Assert.That(options.Broker, Is.EqualTo("amqp://u:p@rmq1:5672/v"));
    }

    [Test]
    public void Broker_FromTheVariable_CommaSeparated_OverridesTheFileList()
    {
        Variables[CarrotConfiguration.BrokerVariable] = "amqp://u:p@a:5672/v,amqp://u:p@b:5672/v";

        var options = LoadJson("""{ "database": "c.db", "broker": ["amqp://u:p@rmq1:5672/v", "amqp://u:p@rmq2:5672/v"] }""");

        Assert.That(BrokerAddressList.Parse(options.Broker).Addresses.Select(a => a.Uri.Host), Is.EqualTo(new[] { "a", "b" }));
    }

    [Test]
    public void Broker_ListWithDifferentPasswords_InTheFile_IsRefusedWithoutThem()
    {
        var e = Assert.Throws<CarrotConfigurationException>(() =>
            LoadJson("""{ "database": "c.db", "broker": ["amqp://u:first@rmq1:5672/v", "amqp://u:second@rmq2:5672/v"] }"""))!;

        Assert.That(e.Message, Does.Contain("differ in their password").And.Not.Contain("first").And.Not.Contain("second"));
    }

    [Test]
    public void Broker_ListHoldingAnObject_IsRefusedInOneLine()
    {
        var e = Assert.Throws<CarrotConfigurationException>(() =>
            LoadJson("""{ "database": "c.db", "broker": ["amqp://u:p@rmq1:5672/v", { "host": "rmq2" }] }"""))!;

        Assert.That(e.Message, Does.StartWith("\"broker\" in ").And.Contain("holds something other than URIs"));
    }

    [Test]
    public void Broker_EmptyList_IsRefused()
    {
        var e = Assert.Throws<CarrotConfigurationException>(() => LoadJson("""{ "database": "c.db", "broker": [] }"""))!;

        Assert.That(e.Message, Does.StartWith("No broker address is configured."));
    }

    [Test]
    public void Section_TakesTheBrokerList_AndTheQueueType_LikeAFile()
    {
        var section = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Carrot:Database"] = "c.db",
            ["Carrot:Broker:0"] = "amqp://u:p@rmq1:5672/v",
            ["Carrot:Broker:1"] = "amqp://u:p@rmq2:5672/v",
            ["Carrot:QueueType"] = "quorum",
        }).Build().GetSection("Carrot");

        var options = CarrotConfiguration.FromSection(section, Folder, _ => null);

        Assert.Multiple(() =>
        {
            Assert.That(options.Broker, Is.EqualTo("amqp://u:p@rmq1:5672/v,amqp://u:p@rmq2:5672/v"));
            Assert.That(QueueTypeSetting.Of(options), Is.EqualTo(BrokerQueueType.Quorum));
        });
    }
}

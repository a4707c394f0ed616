using Carrot.Configuration;
using Carrot.Errors;
using NUnit.Framework;

namespace Carrot.Tests.Unit.Configuration;

[TestFixture]
public sealed class BrokerAddressListTests
{
    [Test]
    public void Parse_OneUri_IsAListOfOne()
    {
        var list = BrokerAddressList.Parse("amqp://carrot:Sup3rSecret@rabbit.example:5672/prod");

        Assert.Multiple(() =>
        {
            Assert.That(list.Addresses, Has.Count.EqualTo(1));
            Assert.That(list.Redacted, Is.EqualTo("amqp://carrot:***@rabbit.example:5672/prod"));
            Assert.That(list.VirtualHost, Is.EqualTo("prod"));
        });
    }

    [Test]
    public void Parse_SeveralUris_KeepsTheirOrder_AndRedactsEveryPassword()
    {
        var list = BrokerAddressList.Parse(" amqp://carrot:Sup3rSecret@rmq1:5672/prod , amqp://carrot:Sup3rSecret@rmq2:5673/prod,amqp://carrot:Sup3rSecret@rmq3/prod ");

        Assert.Multiple(() =>
        {
            Assert.That(list.Addresses.Select(a => a.Uri.Host), Is.EqualTo(new[] { "rmq1", "rmq2", "rmq3" }));
            Assert.That(list.Redacted, Is.EqualTo("amqp://carrot:***@rmq1:5672/prod, amqp://carrot:***@rmq2:5673/prod, amqp://carrot:***@rmq3/prod"));
            Assert.That(list.ToString(), Is.EqualTo(list.Redacted));
            Assert.That(list.Redacted, Does.Not.Contain("Sup3rSecret"));
            Assert.That(list.Scrub("login refused for carrot/Sup3rSecret at rmq2"), Is.EqualTo("login refused for carrot/*** at rmq2"));
        });
    }

    [Test]
    public void Parse_TreatsNoPathAndSlash_AsTheSameDefaultVirtualHost()
    {
        var list = BrokerAddressList.Parse("amqp://guest:guest@rmq1, amqp://guest:guest@rmq2/");

        Assert.That(list.VirtualHost, Is.EqualTo("/"));
    }

    [TestCase("amqp://a:pw@rmq1/prod,amqp://b:pw@rmq2/prod", "user")]
    [TestCase("amqp://a:pw@rmq1/prod,amqp://a:other@rmq2/prod", "password")]
    [TestCase("amqp://a:pw@rmq1/prod,amqp://a@rmq2/prod", "password")]
    [TestCase("amqp://a:pw@rmq1/prod,amqp://a:pw@rmq2/test", "virtual host")]
    [TestCase("amqp://a:pw@rmq1/prod,amqps://a:pw@rmq2/prod", "scheme (amqp or amqps)")]
    public void Parse_RefusesAddressesThatLogInDifferently_InOneLine_WithoutPasswords(string value, string what)
    {
        var e = Assert.Throws<CarrotConfigurationException>(() => BrokerAddressList.Parse(value))!;

        Assert.Multiple(() =>
        {
            Assert.That(e.Message, Does.Contain($"differ in their {what};"));
            Assert.That(e.Message, Does.Not.Contain(":pw@").And.Not.Contain("other"));
            Assert.That(e.Message, Does.Not.Contain(Environment.NewLine));
        });
    }

    [Test]
    public void Parse_RefusesAnEmptyEntry()
    {
        var e = Assert.Throws<CarrotConfigurationException>(() => BrokerAddressList.Parse("amqp://a:pw@rmq1/,,amqp://a:pw@rmq2/"))!;

        Assert.That(e.Message, Is.EqualTo("The broker list has an empty entry (3 entries, comma-separated). Remove the extra comma."));
    }

    [Test]
    public void Parse_RefusesTheSameNodeTwice()
    {
        var e = Assert.Throws<CarrotConfigurationException>(() => BrokerAddressList.Parse("amqp://a:pw@RMQ1:5672/,amqp://a:pw@rmq1:5672/"))!;

        Assert.That(e.Message, Does.Contain("twice").And.Not.Contain(":pw@"));
    }

    [Test]
    public void Parse_RefusesAnEntryThatIsNotAnAmqpUri_HidingItsPassword()
    {
        var e = Assert.Throws<CarrotConfigurationException>(() => BrokerAddressList.Parse("amqp://a:pw@rmq1/,http://a:pw@rmq2/"))!;

        Assert.That(e.Message, Does.Contain("is not an AMQP URI").And.Not.Contain(":pw@"));
    }

    [TestCase("")]
    [TestCase(" , ")]
    public void Parse_RefusesNothing(string value)
    {
        var e = Assert.Throws<CarrotConfigurationException>(() => BrokerAddressList.Parse(value))!;

        Assert.That(e.Message, Does.StartWith("No broker address is configured."));
    }
}

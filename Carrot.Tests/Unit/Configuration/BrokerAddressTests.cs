using Carrot.Configuration;
using Carrot.Errors;
using NUnit.Framework;

namespace Carrot.Tests.Unit.Configuration;

[TestFixture]
public sealed class BrokerAddressTests
{
    [Test]
    public void Redacted_HidesThePassword()
    {
        var address = BrokerAddress.Parse("amqp://carrot:Sup3rSecret@rabbit.example:5672/prod");

        Assert.Multiple(() =>
        {
            Assert.That(address.Redacted, Is.EqualTo("amqp://carrot:***@rabbit.example:5672/prod"));
            Assert.That(address.ToString(), Is.EqualTo(address.Redacted));
            Assert.That(address.Uri.Host, Is.EqualTo("rabbit.example"));
        });
    }

    [Test]
    public void Redacted_HidesAUrlEncodedPassword_InBothForms()
    {
        var address = BrokerAddress.Parse("amqps://carrot:p%40ss%2Fw%3Ard@rabbit.example/");

        Assert.Multiple(() =>
        {
            Assert.That(address.Redacted, Is.EqualTo("amqps://carrot:***@rabbit.example/"));
            Assert.That(address.Redacted, Does.Not.Contain("p%40ss").And.Not.Contain("p@ss"));
        });
    }

    [Test]
    public void Redacted_LeavesAnAddressWithoutPassword_AsItIs()
    {
        Assert.Multiple(() =>
        {
            Assert.That(BrokerAddress.Parse("amqp://rabbit.example/").Redacted, Is.EqualTo("amqp://rabbit.example/"));
            Assert.That(BrokerAddress.Parse("amqp://carrot@rabbit.example/").Redacted, Is.EqualTo("amqp://carrot@rabbit.example/"));
        });
    }

    [Test]
    public void Scrub_RemovesThePassword_FromText()
    {
        var address = BrokerAddress.Parse("amqp://carrot:Sup3rSecret@rabbit.example:5672/");

        var scrubbed = address.Scrub("ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN (carrot/Sup3rSecret)");

        Assert.That(scrubbed, Is.EqualTo("ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN (carrot/***)"));
    }

    [Test]
    public void Scrub_ReplacesTheWholeUri_WithTheRedactedOne()
    {
        var address = BrokerAddress.Parse("amqp://carrot:Sup3rSecret@rabbit.example:5672/");

        var scrubbed = address.Scrub("cannot reach amqp://carrot:Sup3rSecret@rabbit.example:5672/ (refused)");

        Assert.That(scrubbed, Is.EqualTo("cannot reach amqp://carrot:***@rabbit.example:5672/ (refused)"));
    }

    [Test]
    public void Scrub_RemovesADecodedPassword_FromText()
    {
        var address = BrokerAddress.Parse("amqp://carrot:p%40ss%2Fword@rabbit.example/");

        Assert.That(address.Scrub("login failed for carrot/p@ss/word"), Is.EqualTo("login failed for carrot/***"));
    }

    [Test]
    public void Scrub_RemovesAnEncodedPassword_AsConfigured()
    {
        // The client library may echo the URI exactly as it was given (no trailing slash, password still encoded).
        const string configured = "amqp://carrot:p%40ss%2Fword@rabbit.example:5672";
        var address = BrokerAddress.Parse(configured);

        var scrubbed = address.Scrub($"Connection to {configured} failed");

        Assert.That(scrubbed, Does.Not.Contain("p%40ss%2Fword").And.Not.Contain("p@ss/word"));
    }

    [Test]
    public void Scrub_LeavesText_WhenThereIsNoPassword()
    {
        var address = BrokerAddress.Parse("amqp://rabbit.example/");

        Assert.That(address.Scrub("some text"), Is.EqualTo("some text"));
    }

    [TestCase("amqp://")]
    [TestCase("rabbit.example")]
    [TestCase("")]
    [TestCase("mqtt://rabbit.example/")]
    public void Parse_RefusesAnythingButAnAmqpUri(string value)
    {
        var error = Assert.Throws<CarrotConfigurationException>(() => BrokerAddress.Parse(value));

        Assert.That(error!.Message, Does.EndWith("Use the form amqp://user:password@host:5672/vhost."));
    }
}

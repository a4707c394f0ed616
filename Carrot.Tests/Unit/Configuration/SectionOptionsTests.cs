using Carrot.Configuration;
using Carrot.Errors;
using Microsoft.Extensions.Configuration;

namespace Carrot.Tests.Unit.Configuration;

/// <summary>Options from an application's configuration section: the keys of carrot.json, CARROT_* on top.</summary>
[TestFixture]
public sealed class SectionOptionsTests
{
    private const string Base = "/srv/shop";

    [Test]
    public void FromSection_ReadsTheKeysOfCarrotJson_WithRelativePathsFromTheBaseFolder()
    {
        var options = FromSection(new()
        {
            ["Carrot:database"] = "data/carrot.db",
            ["Carrot:broker"] = "amqp://shop:secret@rabbit:5672/shop",
            ["Carrot:taskAssemblies:0"] = "tasks",
            ["Carrot:maxAttempts"] = "5",
        });

        Assert.Multiple(() =>
        {
            Assert.That(options.Database, Is.EqualTo("/srv/shop/data/carrot.db"));
            Assert.That(options.Broker, Is.EqualTo("amqp://shop:secret@rabbit:5672/shop"));
            Assert.That(options.TaskAssemblies, Is.EqualTo(new[] { "/srv/shop/tasks" }));
            Assert.That(options.MaxAttempts, Is.EqualTo(5));
            Assert.That(options.Source, Is.EqualTo("the configuration section 'Carrot'"));
        });
    }

    [Test]
    public void FromSection_CarrotVariablesOverrideTheSection()
    {
        var environment = new Dictionary<string, string>
        {
            [CarrotConfiguration.DatabaseVariable] = "/var/lib/carrot/carrot.db",
            [CarrotConfiguration.BrokerVariable] = "amqp://ops:other@mq:5672/",
        };

        var options = FromSection(new() { ["Carrot:database"] = "data/carrot.db", ["Carrot:broker"] = "amqp://shop:secret@rabbit:5672/" }, environment);

        Assert.That((options.Database, options.Broker), Is.EqualTo(("/var/lib/carrot/carrot.db", "amqp://ops:other@mq:5672/")));
    }

    [Test]
    public void FromSection_ValueOfTheWrongType_IsRefusedWithTheSectionNamed()
    {
        var error = Assert.Throws<CarrotConfigurationException>(() => FromSection(new() { ["Carrot:maxAttempts"] = "many" }));

        Assert.That(error!.Message, Does.StartWith("the configuration section 'Carrot' is not valid:").And.Contain("many"));
    }

    [Test]
    public void FromSection_BreaksTheRulesOfAFile_IsRefusedByTheSameCheck()
    {
        var error = Assert.Throws<CarrotConfigurationException>(() => FromSection(new() { ["Carrot:maxAttempts"] = "0" }));

        Assert.That(error!.Message, Does.StartWith("\"maxAttempts\" is 0 in the configuration section"));
    }

    [Test]
    public void FromSection_EmptyDatabase_IsRefusedWithWhatToSet()
    {
        var error = Assert.Throws<CarrotConfigurationException>(() => FromSection(new() { ["Carrot:database"] = "" }));

        Assert.That(error!.Message, Does.Contain("No database path is configured"));
    }

    private static CarrotOptions FromSection(Dictionary<string, string?> values, Dictionary<string, string>? environment = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return CarrotConfiguration.FromSection(configuration.GetSection("Carrot"), Base, name => environment?.GetValueOrDefault(name));
    }
}

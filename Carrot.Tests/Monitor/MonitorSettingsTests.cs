using Carrot.Errors;
using Carrot.Monitor.Hosting;
using Carrot.Tests.Unit;

namespace Carrot.Tests.Monitor;

[TestFixture]
public sealed class MonitorSettingsTests
{
    [Test]
    public void Validate_AcceptsLoopback_WithoutCredentials()
    {
        Assert.That(new MonitorSettings { Listen = "127.0.0.1:5580" }.Validate().Port, Is.EqualTo(5580));
        Assert.That(new MonitorSettings { Listen = "localhost:0" }.Validate().Address.ToString(), Is.EqualTo("127.0.0.1"));
        Assert.That(new MonitorSettings { Listen = "[::1]:5580" }.Validate().Port, Is.EqualTo(5580));
    }

    [TestCase("0.0.0.0:5580")]
    [TestCase("[::]:5580")]
    [TestCase("10.1.2.3:5580")]
    public void Validate_RefusesAnyOtherAddress_WithoutCredentials(string listen)
    {
        var error = Assert.Throws<CarrotConfigurationException>(() => new MonitorSettings { Listen = listen }.Validate());
        Assert.That(error!.Message, Does.Contain("not a loopback address").And.Contain("monitor.token"));
        Assert.DoesNotThrow(() => new MonitorSettings { Listen = listen, Token = "t0ken" }.Validate());
    }

    [TestCase("5580")]
    [TestCase("nowhere:5580")]
    [TestCase("127.0.0.1:99999")]
    [TestCase("")]
    public void Validate_RefusesWhatIsNotAnAddress(string listen)
    {
        var error = Assert.Throws<CarrotConfigurationException>(() => new MonitorSettings { Listen = listen }.Validate());
        Assert.That(error!.Message, Does.Contain("is not an address to listen on"));
    }

    [Test]
    public void Validate_RefusesAUserWithoutAPassword()
    {
        var error = Assert.Throws<CarrotConfigurationException>(() => new MonitorSettings { User = "ops" }.Validate());
        Assert.That(error!.Message, Does.Contain("a user needs a password"));
    }

    [Test]
    public void FromFile_IsNull_WithoutAMonitorSection_AndTakesSecretsFromTheEnvironment()
    {
        var folder = TempFolder.Create();
        try
        {
            var without = Path.Combine(folder, "without.json");
            File.WriteAllText(without, """{ "database": "x.db" }""");
            var with = Path.Combine(folder, "with.json");
            File.WriteAllText(with, """{ "monitor": { "listen": "0.0.0.0:5581", "pathBase": "/carrot", "user": "ops", "password": "file" } }""");

            var settings = MonitorSettings.FromFile(with, name => name == "CARROT_MONITOR_PASSWORD" ? "env" : null);

            Assert.Multiple(() =>
            {
                Assert.That(MonitorSettings.FromFile(without, _ => null), Is.Null);
                Assert.That(settings!.Listen, Is.EqualTo("0.0.0.0:5581"));
                Assert.That(settings.PathBase, Is.EqualTo("/carrot"));
                Assert.That(settings.Password, Is.EqualTo("env"));
                Assert.That(settings.HasCredentials, Is.True);
            });
        }
        finally
        {
            TempFolder.Delete(folder);
        }
    }
}

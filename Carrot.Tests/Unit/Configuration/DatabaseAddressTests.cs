using Carrot.Configuration;
using Carrot.Errors;
using NUnit.Framework;

namespace Carrot.Tests.Unit.Configuration;

public sealed class DatabaseAddressTests
{
    [Test]
    public void APath_IsAnSqliteFile()
    {
        var address = DatabaseAddress.Parse("/var/lib/carrot/carrot.db");

        Assert.That(address.IsPostgres, Is.False);
        Assert.That(address.Redacted, Is.EqualTo("/var/lib/carrot/carrot.db"));
    }

    [Test]
    public void APostgresUri_GivesNpgsqlSettings_AndHidesThePassword()
    {
        var address = DatabaseAddress.Parse("postgresql://carrot:s%40cret@db.example:6543/tasks?sslmode=verify-full&application_name=shop");

        Assert.Multiple(() =>
        {
            Assert.That(address.IsPostgres, Is.True);
            Assert.That(address.Settings["Host"], Is.EqualTo("db.example:6543"));
            Assert.That(address.Settings["Username"], Is.EqualTo("carrot"));
            Assert.That(address.Settings["Password"], Is.EqualTo("s@cret"));
            Assert.That(address.Settings["Database"], Is.EqualTo("tasks"));
            Assert.That(address.Settings["SSL Mode"], Is.EqualTo("VerifyFull"));
            Assert.That(address.Settings["Application Name"], Is.EqualTo("shop"));
            Assert.That(address.Redacted, Is.EqualTo("postgresql://carrot:***@db.example:6543/tasks?sslmode=verify-full&application_name=shop"));
        });
    }

    [Test]
    public void SeveralHosts_AreKeptAsNpgsqlsHostList()
    {
        var address = DatabaseAddress.Parse("postgres://u@a:5432,b:5433/tasks?target_session_attrs=read-write");

        Assert.That(address.Settings["Host"], Is.EqualTo("a:5432,b:5433"));
        Assert.That(address.Settings["Target Session Attributes"], Is.EqualTo("read-write"));
    }

    [Test]
    public void APasswordParameter_IsHiddenToo()
    {
        var address = DatabaseAddress.Parse("postgresql://u@h/db?password=hunter2");

        Assert.That(address.Settings["Password"], Is.EqualTo("hunter2"));
        Assert.That(address.Redacted, Does.Not.Contain("hunter2"));
    }

    [TestCase("mysql://root:hunter2@h/db", "mysql://")]
    [TestCase("postgresql://u:hunter2@h", "names no database")]
    [TestCase("postgresql://u:hunter2@/db", "names no host")]
    [TestCase("postgresql://u:hunter2@h/db?sslmode=sometimes", "sslmode")]
    [TestCase("postgresql://u:hunter2@h/db?pool=9", "'pool'")]
    public void ABadUri_IsRefusedInOneLine_WithoutItsPassword(string value, string expected)
    {
        var error = Assert.Throws<CarrotConfigurationException>(() => DatabaseAddress.Parse(value));

        Assert.That(error!.Message, Does.Contain(expected).And.Not.Contain("hunter2").And.Not.Contain("\n"));
    }

    [Test]
    public void Resolve_MakesAPathAbsolute_AndLeavesAUriAlone()
    {
        Assert.That(DatabaseAddress.Resolve("data/carrot.db", "/etc/carrot"), Is.EqualTo("/etc/carrot/data/carrot.db"));
        Assert.That(DatabaseAddress.Resolve("postgresql://u@h/db", "/etc/carrot"), Is.EqualTo("postgresql://u@h/db"));
    }
}

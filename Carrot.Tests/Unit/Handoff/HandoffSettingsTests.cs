using Carrot.Configuration;
using Carrot.Errors;
using Carrot.Handoff;
using NUnit.Framework;

namespace Carrot.Tests.Unit.Handoff;

/// <summary>Where the hand-off socket is, and which settings a caller must share with carrotd for it to take the task.</summary>
[TestFixture]
public sealed class HandoffSettingsTests
{
    [Test]
    public void TheSocket_LiesBesideAnSqliteDatabase_OrInRunCarrotForPostgres_AndOffMeansNone()
    {
        Assert.Multiple(() =>
        {
            Assert.That(HandoffSocket.PathFor(new CarrotOptions { Database = "/var/lib/carrot/carrot.db" }), Is.EqualTo("/var/lib/carrot/carrot.db.sock"));
            Assert.That(HandoffSocket.PathFor(new CarrotOptions { Database = "postgresql://carrot:pw@db/carrot" }), Is.EqualTo(HandoffSocket.RuntimeDefault));
            Assert.That(HandoffSocket.PathFor(new CarrotOptions { Database = "/x/carrot.db", EnqueueSocket = "/run/other.sock" }), Is.EqualTo("/run/other.sock"));
            Assert.That(HandoffSocket.PathFor(new CarrotOptions { EnqueueSocket = "OFF" }), Is.Null);
            Assert.That(HandoffSocket.PathFor(new CarrotOptions { Database = "/" + new string('d', 120) + "/carrot.db" }), Is.Null, "too long for a Unix socket: no hand-off");
        });
    }

    [Test]
    public void ARelativeSocketPath_InAFile_IsTheFilesFolders_AndTheVariableOverridesIt()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("carrot.json"), """{"database": "carrot.db", "enqueueSocket": "run/carrotd.sock"}""");

        var fromFile = CarrotConfiguration.Load(folder.File("carrot.json"), _ => null);
        var fromVariable = CarrotConfiguration.Load(folder.File("carrot.json"), name => name == CarrotConfiguration.EnqueueSocketVariable ? "off" : null);

        Assert.That(fromFile.EnqueueSocket, Is.EqualTo(folder.File("run/carrotd.sock")));
        Assert.That(HandoffSocket.PathFor(fromVariable), Is.Null);
    }

    [Test]
    public void ASocketPathTooLongForAUnixSocket_IsRefusedInOneLine()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("carrot.json"), $$"""{"enqueueSocket": "/{{new string('s', 200)}}.sock"}""");

        var e = Assert.Throws<CarrotConfigurationException>(() => CarrotConfiguration.Load(folder.File("carrot.json"), _ => null))!;

        Assert.That(e.Message, Does.StartWith("\"enqueueSocket\" is '/sss").And.Contain("at most 107 bytes").And.Not.Contain(new string('s', 120)));
    }

    [Test]
    public void TheFingerprint_IsTheSameForTheSameSettings_AndLeavesThePasswordsOut()
    {
        CarrotOptions Options(string password) => new() { Database = $"postgresql://carrot:{password}@db/carrot", Broker = $"amqp://carrot:{password}@rmq:5672/prod" };

        Assert.That(HandoffFingerprint.Of(Options("S3cret")), Is.EqualTo(HandoffFingerprint.Of(Options("Other"))));
        Assert.That(HandoffFingerprint.Of(Options("S3cret")), Does.Not.Contain("S3cret").And.Contain("carrot:***@rmq:5672/prod"));
    }

    [Test]
    public void Differences_NameTheKeysThatDiffer()
    {
        var mine = HandoffFingerprint.Of(new CarrotOptions { Database = "/a.db", MaxAttempts = 3 });
        var theirs = HandoffFingerprint.Of(new CarrotOptions { Database = "/b.db", MaxAttempts = 7 });

        Assert.That(HandoffFingerprint.Differences(mine, theirs), Is.EqualTo(new[] { "database", "maxAttempts" }));
        Assert.That(HandoffFingerprint.Differences(mine, mine), Is.Empty);
        Assert.That(HandoffFingerprint.Differences(mine, "database=/a.db\nnewSetting=1\n"), Does.Contain("newSetting").And.Contain("broker"));
    }

    private static IEnumerable<TestCaseData> RowShapingChanges()
    {
        yield return new TestCaseData(new Action<CarrotOptions>(o => o.Database = "/var/lib/carrot/other.db")).SetArgDisplayNames("database");
        yield return new TestCaseData(new Action<CarrotOptions>(o => o.Broker = "amqp://carrot:S3cret@rmq:5672/test")).SetArgDisplayNames("broker");
        yield return new TestCaseData(new Action<CarrotOptions>(o => o.QueueType = "quorum")).SetArgDisplayNames("queueType");
        yield return new TestCaseData(new Action<CarrotOptions>(o => o.TaskAssemblies = ["/opt/tasks/Other.dll"])).SetArgDisplayNames("taskAssemblies");
        yield return new TestCaseData(new Action<CarrotOptions>(o => o.MaxArgumentBytes = 1000)).SetArgDisplayNames("maxArgumentBytes");
        yield return new TestCaseData(new Action<CarrotOptions>(o => o.MaxAttempts = 7)).SetArgDisplayNames("maxAttempts");
        yield return new TestCaseData(new Action<CarrotOptions>(o => o.IdempotencyWindowSeconds = 60)).SetArgDisplayNames("idempotencyWindowSeconds");
    }

    [TestCaseSource(nameof(RowShapingChanges))]
    public void TheFingerprint_ChangesWithEverySettingThatShapesTheRow(Action<CarrotOptions> change)
    {
        CarrotOptions Options() => new() { Database = "/var/lib/carrot/carrot.db", Broker = "amqp://carrot:S3cret@rmq:5672/prod", TaskAssemblies = ["/opt/tasks/MyLib.dll"] };
        var changed = Options();
        change(changed);

        Assert.That(HandoffFingerprint.Of(changed), Is.Not.EqualTo(HandoffFingerprint.Of(Options())));
    }

    [Test]
    public void TheFingerprint_IgnoresSettingsOnlyTheDaemonUses()
    {
        var daemonTuned = new CarrotOptions { HeartbeatSeconds = 2, LeaseSeconds = 30, LogLevel = "Debug", RunnerMaxTasks = 5 };

        Assert.That(HandoffFingerprint.Of(daemonTuned), Is.EqualTo(HandoffFingerprint.Of(new CarrotOptions())));
    }
}

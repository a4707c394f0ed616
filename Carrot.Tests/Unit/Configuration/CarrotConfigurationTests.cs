using Carrot.Configuration;
using Carrot.Errors;
using Carrot.Lifecycle;
using NUnit.Framework;

namespace Carrot.Tests.Unit.Configuration;

[TestFixture]
public sealed class CarrotConfigurationTests : ConfigurationTestBase
{
    [Test]
    public void Load_UsesBuiltInDefaults_WhenNoFileIsGiven()
    {
        Assume.That(File.Exists(DefaultPaths.SystemConfig), Is.False, "a system-wide configuration file exists on this machine");

        var options = Load(null);

        Assert.Multiple(() =>
        {
            Assert.That(options.Database, Is.EqualTo(DefaultPaths.Database()));
            Assert.That(options.Database, Does.EndWith(Path.Combine("carrot", "carrot.db")));
            Assert.That(options.Broker, Is.EqualTo("amqp://guest:guest@localhost:5672/"));
            Assert.That(options.TaskAssemblies, Is.Empty);
            Assert.That(options.BusyTimeoutSeconds, Is.EqualTo(10));
            Assert.That(options.HeartbeatSeconds, Is.EqualTo(5));
            Assert.That(options.LeaseSeconds, Is.EqualTo(60));
            Assert.That(options.ShutdownGraceSeconds, Is.EqualTo(25));
            Assert.That(options.WorkerPollSeconds, Is.EqualTo(2));
            Assert.That(options.MaxArgumentBytes, Is.EqualTo(1024 * 1024));
            Assert.That(options.MaxAttempts, Is.EqualTo(3));
            Assert.That(options.Source, Is.EqualTo("built-in defaults"));
        });
    }

    [Test]
    public void Load_ReadsEveryValue_FromTheFile()
    {
        var path = WriteConfig("""
            {
              "database": "/var/lib/carrot/tasks.db",
              "broker": "amqps://app:pw@rabbit.example:5671/prod",
              "taskAssemblies": ["/opt/tasks/A.dll", "/opt/tasks/b"],
              "busyTimeoutSeconds": 3,
              "heartbeatSeconds": 2,
              "leaseSeconds": 9,
              "shutdownGraceSeconds": 0,
              "workerPollSeconds": 0.5,
              "maxArgumentBytes": 4096,
              "maxAttempts": 7
            }
            """);

        var options = Load(path);

        Assert.Multiple(() =>
        {
            Assert.That(options.Database, Is.EqualTo("/var/lib/carrot/tasks.db"));
            Assert.That(options.Broker, Is.EqualTo("amqps://app:pw@rabbit.example:5671/prod"));
            Assert.That(options.TaskAssemblies, Is.EqualTo((string[])["/opt/tasks/A.dll", "/opt/tasks/b"]));
            Assert.That(options.BusyTimeoutSeconds, Is.EqualTo(3));
            Assert.That(options.HeartbeatSeconds, Is.EqualTo(2));
            Assert.That(options.LeaseSeconds, Is.EqualTo(9));
            Assert.That(options.ShutdownGraceSeconds, Is.Zero);
            Assert.That(options.WorkerPollSeconds, Is.EqualTo(0.5));
            Assert.That(options.MaxArgumentBytes, Is.EqualTo(4096));
            Assert.That(options.MaxAttempts, Is.EqualTo(7));
            Assert.That(options.Source, Is.EqualTo(path));
        });
    }

    [Test]
    public void Load_KeepsDefaults_ForValuesTheFileLeavesOut()
    {
        var options = Load(WriteConfig("""{ "maxAttempts": 5 }"""));

        Assert.Multiple(() =>
        {
            Assert.That(options.MaxAttempts, Is.EqualTo(5));
            Assert.That(options.BusyTimeoutSeconds, Is.EqualTo(10));
            Assert.That(options.Broker, Is.EqualTo("amqp://guest:guest@localhost:5672/"));
        });
    }

    [Test]
    public void Load_ResolvesRelativePathsInTheFile_AgainstTheFilesFolder()
    {
        var path = WriteConfig("""
            {
              "database": "data/carrot.db",
              "taskAssemblies": ["tasks/MyLib.dll", "../shared", "/abs/Other.dll"]
            }
            """, "etc/carrot.json");
        var folder = Path.Combine(Folder, "etc");

        var options = Load(path);

        Assert.Multiple(() =>
        {
            Assert.That(options.Database, Is.EqualTo(Path.Combine(folder, "data", "carrot.db")));
            Assert.That(options.TaskAssemblies, Is.EqualTo((string[])[
                Path.Combine(folder, "tasks", "MyLib.dll"),
                Path.Combine(Folder, "shared"),
                "/abs/Other.dll"]));
        });
    }

    [Test]
    public void Load_ResolvesRelativePaths_AgainstTheFilesFolder_WhenTheFileIsNamedRelatively()
    {
        WriteConfig("""{ "database": "carrot.db" }""");
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, Path.Combine(Folder, "carrot.json"));

        var options = Load(relative);

        Assert.That(options.Database, Is.EqualTo(InFolder("carrot.db")));
    }

    [Test]
    public void Load_LetsEnvironmentVariablesOverrideTheFile()
    {
        var path = WriteConfig("""
            {
              "database": "from-file.db",
              "broker": "amqp://file:filepw@file-host/",
              "taskAssemblies": ["from-file.dll"]
            }
            """);
        Variables["CARROT_DATABASE"] = "/srv/env.db";
        Variables["CARROT_BROKER"] = "amqp://env:envpw@env-host:5672/";
        Variables["CARROT_TASK_ASSEMBLIES"] = "/opt/a/A.dll: /opt/b ::/opt/c/C.dll";

        var options = Load(path);

        Assert.Multiple(() =>
        {
            Assert.That(options.Database, Is.EqualTo("/srv/env.db"));
            Assert.That(options.Broker, Is.EqualTo("amqp://env:envpw@env-host:5672/"));
            Assert.That(options.TaskAssemblies, Is.EqualTo((string[])["/opt/a/A.dll", "/opt/b", "/opt/c/C.dll"]));
        });
    }

    [Test]
    public void Load_ResolvesARelativeEnvironmentPath_AgainstTheCurrentFolder()
    {
        Variables["CARROT_DATABASE"] = "relative.db";
        Variables["CARROT_TASK_ASSEMBLIES"] = "lib/A.dll";

        var options = Load(WriteConfig("{}"));

        Assert.Multiple(() =>
        {
            Assert.That(options.Database, Is.EqualTo(Path.Combine(Environment.CurrentDirectory, "relative.db")));
            Assert.That(options.TaskAssemblies, Is.EqualTo((string[])[Path.Combine(Environment.CurrentDirectory, "lib", "A.dll")]));
        });
    }

    [Test]
    public void Load_IgnoresBlankEnvironmentVariables()
    {
        Variables["CARROT_DATABASE"] = "  ";
        Variables["CARROT_BROKER"] = "";
        Variables["CARROT_TASK_ASSEMBLIES"] = " ";

        var options = Load(WriteConfig("""{ "database": "/d.db", "broker": "amqp://h/", "taskAssemblies": ["/t.dll"] }"""));

        Assert.Multiple(() =>
        {
            Assert.That(options.Database, Is.EqualTo("/d.db"));
            Assert.That(options.Broker, Is.EqualTo("amqp://h/"));
            Assert.That(options.TaskAssemblies, Is.EqualTo((string[])["/t.dll"]));
        });
    }

    [Test]
    public void Load_ReadsTheFileNamedByCarrotConfig_WhenNoPathIsGiven()
    {
        Variables["CARROT_CONFIG"] = WriteConfig("""{ "maxAttempts": 9 }""");

        var options = Load(null);

        Assert.Multiple(() =>
        {
            Assert.That(options.MaxAttempts, Is.EqualTo(9));
            Assert.That(options.Source, Is.EqualTo(Variables["CARROT_CONFIG"]));
        });
    }

    [Test]
    public void Load_PrefersTheExplicitPath_OverCarrotConfig()
    {
        Variables["CARROT_CONFIG"] = WriteConfig("""{ "maxAttempts": 9 }""", "env.json");
        var explicitPath = WriteConfig("""{ "maxAttempts": 4 }""", "explicit.json");

        var options = Load(explicitPath);

        Assert.That(options.MaxAttempts, Is.EqualTo(4));
    }

    [Test]
    public void Load_RefusesAnExplicitFile_ThatDoesNotExist()
    {
        var missing = InFolder("nope.json");

        var error = Assert.Throws<CarrotConfigurationException>(() => Load(missing));

        Assert.That(error!.Message, Is.EqualTo($"The configuration file {missing} does not exist. Create it or point --config / CARROT_CONFIG at an existing file."));
    }

    [Test]
    public void Load_RefusesACarrotConfigFile_ThatDoesNotExist()
    {
        Variables["CARROT_CONFIG"] = InFolder("nope.json");

        var error = Assert.Throws<CarrotConfigurationException>(() => Load(null));

        Assert.That(error!.Message, Does.Contain("nope.json does not exist"));
    }

    [Test]
    public void Load_RefusesAFile_ThatIsNotValidJson()
    {
        var path = WriteConfig("""{ "database": "x.db", """);

        var error = Assert.Throws<CarrotConfigurationException>(() => Load(path));

        Assert.That(error!.Message, Does.StartWith($"The configuration file {path} is not valid:").And.EndWith("Fix the file or point --config elsewhere."));
    }

    [Test]
    public void Load_RefusesAValueOfTheWrongType()
    {
        var path = WriteConfig("""{ "busyTimeoutSeconds": "soon" }""");

        var error = Assert.Throws<CarrotConfigurationException>(() => Load(path));

        Assert.That(error!.Message, Does.Contain("is not valid").And.Contain("soon"));
    }

    [TestCase("""{ "busyTimeoutSeconds": 0 }""", "\"busyTimeoutSeconds\" is 0", "from 1 to 3600 seconds")]
    [TestCase("""{ "busyTimeoutSeconds": 100000 }""", "\"busyTimeoutSeconds\" is 100000", "from 1 to 3600 seconds")]
    [TestCase("""{ "heartbeatSeconds": 0 }""", "\"heartbeatSeconds\" is 0", "from 1 to 3600 seconds")]
    [TestCase("""{ "heartbeatSeconds": 5, "leaseSeconds": 10 }""", "\"leaseSeconds\" is 10", "more than twice heartbeatSeconds (5)")]
    [TestCase("""{ "leaseSeconds": 100000000 }""", "\"leaseSeconds\" is 100000000", "more than twice heartbeatSeconds (5) and at most 604800 seconds (7 days)")]
    [TestCase("""{ "maxAttempts": 0 }""", "\"maxAttempts\" is 0", "from 1 to 101")]
    [TestCase("""{ "maxAttempts": 1000 }""", "\"maxAttempts\" is 1000", "from 1 to 101")]
    [TestCase("""{ "maxArgumentBytes": 1 }""", "\"maxArgumentBytes\" is 1", "from 2 to 268435456 bytes")]
    [TestCase("""{ "shutdownGraceSeconds": -1 }""", "\"shutdownGraceSeconds\" is -1", "from 0 to 86400 seconds")]
    [TestCase("""{ "workerPollSeconds": 0 }""", "\"workerPollSeconds\" is 0", "from 0.01 to 3600 seconds")]
    [TestCase("""{ "workerPollSeconds": "NaN" }""", "\"workerPollSeconds\" is NaN", "from 0.01 to 3600 seconds")]
    [TestCase("""{ "reconcileAfterSeconds": 1e12 }""", "\"reconcileAfterSeconds\" is 1000000000000", "from 1 to 604800 seconds")]
    [TestCase("""{ "retryBaseDelaySeconds": -1 }""", "\"retryBaseDelaySeconds\" is -1", "from 0 to 315360000 seconds")]
    [TestCase("""{ "retryBaseDelaySeconds": 60, "retryMaxDelaySeconds": 30 }""", "\"retryMaxDelaySeconds\" is 30", "from retryBaseDelaySeconds (60)")]
    [TestCase("""{ "retryMaxDelaySeconds": 1e10 }""", "\"retryMaxDelaySeconds\" is 10000000000", "from retryBaseDelaySeconds (10) to 315360000 seconds, that is 3650 days (10 years)")]
    [TestCase("""{ "defaultTimeoutSeconds": 4320000 }""", "\"defaultTimeoutSeconds\" is 4320000", "from 0 (no limit) to 4233600 seconds, that is 49 days")]
    [TestCase("""{ "runawayGraceSeconds": "Infinity" }""", "\"runawayGraceSeconds\" is Infinity", "from 0 to 4233600 seconds")]
    [TestCase("""{ "succeededRetentionDays": -1 }""", "\"succeededRetentionDays\" is -1", "from 0 (keep forever) to 3650 days (10 years)")]
    [TestCase("""{ "failedRetentionDays": 1000000 }""", "\"failedRetentionDays\" is 1000000", "from 0 (keep forever) to 3650 days (10 years)")]
    [TestCase("""{ "cancelledRetentionDays": 3651 }""", "\"cancelledRetentionDays\" is 3651", "from 0 (keep forever) to 3650 days (10 years)")]
    [TestCase("""{ "maxResultChars": 0 }""", "\"maxResultChars\" is 0", "from 16 to 268435456 characters")]
    [TestCase("""{ "maxErrorChars": 10 }""", "\"maxErrorChars\" is 10", "from 256 to 16777216 characters")]
    [TestCase("""{ "maxLogLineChars": 2000000000 }""", "\"maxLogLineChars\" is 2000000000", "from 256 to 1048576 characters")]
    [TestCase("""{ "maxLogLinesPerAttempt": 0 }""", "\"maxLogLinesPerAttempt\" is 0", "from 1 to 100000 lines")]
    [TestCase("""{ "runnerMaxTasks": -1 }""", "\"runnerMaxTasks\" is -1", "from 0 (no limit) to 2147483647 tasks")]
    [TestCase("""{ "runnerMaxMemoryMiB": 2000000 }""", "\"runnerMaxMemoryMiB\" is 2000000", "from 0 (no limit) to 1048576 MiB (1 TiB)")]
    [TestCase("""{ "runnerIdleSeconds": -1 }""", "\"runnerIdleSeconds\" is -1", "from 0 (idle runners are kept) to 86400 seconds (a day)")]
    [TestCase("""{ "logLevel": "Chatty" }""", "\"logLevel\" is 'Chatty'", "one of Debug, Information, Warning, Error")]
    public void Load_RefusesASettingOutOfRange_InOneLineNamingTheKeyTheRangeAndTheFile(string json, string what, string allowed)
    {
        var path = WriteConfig(json);

        var error = Assert.Throws<CarrotConfigurationException>(() => Load(path));

        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.StartWith($"{what} in {path}; it must be {allowed}"));
            Assert.That(error.Message, Does.EndWith("Fix the setting, or leave it out for the default."));
            Assert.That(error.Message, Does.Not.Contain('\n'));
        });
    }

    [Test]
    public void Load_AcceptsEverySettingAtTheEdgesOfItsRange()
    {
        var options = Load(WriteConfig("""
            {
              "busyTimeoutSeconds": 3600, "heartbeatSeconds": 1, "leaseSeconds": 3, "shutdownGraceSeconds": 0,
              "workerPollSeconds": 0.01, "reconcileAfterSeconds": 604800, "maxArgumentBytes": 2, "maxAttempts": 101,
              "retryBaseDelaySeconds": 0, "retryMaxDelaySeconds": 315360000, "defaultTimeoutSeconds": 4233600,
              "runawayGraceSeconds": 0, "succeededRetentionDays": 0, "failedRetentionDays": 3650, "cancelledRetentionDays": 3650,
              "maxResultChars": 16, "maxErrorChars": 16777216, "maxLogLineChars": 256, "maxLogLinesPerAttempt": 100000,
              "taskLogToJournal": true, "logLevel": "error"
            }
            """));

        Assert.Multiple(() =>
        {
            Assert.That(options.DefaultTimeoutSeconds, Is.EqualTo(DurationLimits.MaxTimeout.TotalSeconds));
            Assert.That(options.FailedRetentionDays, Is.EqualTo(DurationLimits.MaxDelay.TotalDays));
            Assert.That(options.MaxLogLinesPerAttempt, Is.EqualTo(100_000));
            Assert.That(options.TaskLogToJournal, Is.True);
        });
    }

    [Test]
    public void Load_KeepsTaskLogsOutOfTheJournal_ByDefault()
    {
        Assert.That(Load(WriteConfig("{}")).TaskLogToJournal, Is.False);
    }

    [Test]
    public void Load_RefusesAnEmptyDatabasePath()
    {
        var error = Assert.Throws<CarrotConfigurationException>(() => Load(WriteConfig("""{ "database": "" }""")));

        Assert.That(error!.Message, Does.Contain("\"database\" is empty"));
    }

    [TestCase("http://carrot:Sup3rSecret@rabbit.example/")]
    [TestCase("amqp//carrot:Sup3rSecret@rabbit.example/")]
    [TestCase("carrot:Sup3rSecret@rabbit.example:5672")]
    [TestCase("amqp://carrot:Sup3rSecret@")]
    [TestCase("amqp://carrot:Sup3rSecret@rabbit example/")]
    public void Load_RefusesANonAmqpBroker_WithoutShowingThePassword(string broker)
    {
        Variables["CARROT_BROKER"] = broker;

        var error = Assert.Throws<CarrotConfigurationException>(() => Load(null));

        Assert.That(error!.Message, Does.Contain("is not an AMQP URI").And.Not.Contain("Sup3rSecret"));
    }

    [Test]
    public void Load_RefusesANonAmqpBrokerInTheFile_WithoutShowingThePassword()
    {
        var path = WriteConfig("""{ "broker": "https://carrot:Sup3rSecret@rabbit.example/" }""");

        var error = Assert.Throws<CarrotConfigurationException>(() => Load(path));

        Assert.That(error!.Message, Does.Contain("'https://carrot:***@rabbit.example/'").And.Not.Contain("Sup3rSecret"));
    }
}

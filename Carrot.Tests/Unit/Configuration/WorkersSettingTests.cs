using Carrot.Configuration;
using Carrot.Daemon.Reloading;
using Carrot.Errors;
using NUnit.Framework;

namespace Carrot.Tests.Unit.Configuration;

/// <summary>The daemon's <c>workers</c> setting and <c>CARROT_WORKERS</c>: which workers a daemon takes.</summary>
[TestFixture]
public sealed class WorkersSettingTests : ConfigurationTestBase
{
    [Test]
    public void Unset_MeansEveryWorker()
    {
        Assert.That(Load(WriteConfig("""{ "maxAttempts": 2 }""")).Workers, Is.Null);
    }

    [Test]
    public void TheFile_ListsTheWorkers()
    {
        var options = Load(WriteConfig("""{ "workers": ["default", "files", "gpu.render-2"] }"""));

        Assert.That(options.Workers, Is.EqualTo((string[])["default", "files", "gpu.render-2"]));
    }

    [Test]
    public void TheVariable_IsCommaSeparated_AndOverridesTheFile()
    {
        Variables[CarrotConfiguration.WorkersVariable] = " files , gpu,";

        var options = Load(WriteConfig("""{ "workers": ["default"] }"""));

        Assert.That(options.Workers, Is.EqualTo((string[])["files", "gpu"]));
    }

    [Test]
    public void AnEmptyVariable_LeavesTheFilesValue()
    {
        Variables[CarrotConfiguration.WorkersVariable] = "  ";

        Assert.That(Load(WriteConfig("""{ "workers": ["files"] }""")).Workers, Is.EqualTo((string[])["files"]));
    }

    [Test]
    public void AnInvalidNameInTheFile_IsRefused_InOneLineNamingTheKeyTheNameAndTheFile()
    {
        var path = WriteConfig("""{ "workers": ["files", "gp u"] }""");

        var error = Assert.Throws<CarrotConfigurationException>(() => Load(path));

        Assert.That(error!.Message, Is.EqualTo(
            $"\"workers\" is [\"files\", \"gp u\"] in {path}; it must be a list of worker names (1-64 letters, digits, '-', '_' or '.', " +
            "starting with a letter or digit), and 'gp u' is not one. Fix the setting, or leave it out for the default."));
    }

    [Test]
    public void AnInvalidNameInTheVariable_IsRefused_NamingTheVariable()
    {
        Variables[CarrotConfiguration.WorkersVariable] = "files,-gpu";

        var error = Assert.Throws<CarrotConfigurationException>(() => Load(WriteConfig("{}")));

        Assert.That(error!.Message, Does.StartWith("CARROT_WORKERS is 'files,-gpu'; it must be a list of worker names")
            .And.Contain("'-gpu' is not one").And.Not.Contain("\n"));
    }

    [Test]
    public void AVariableWithNoName_IsRefused()
    {
        Variables[CarrotConfiguration.WorkersVariable] = " , ";

        var error = Assert.Throws<CarrotConfigurationException>(() => Load(WriteConfig("{}")));

        Assert.That(error!.Message, Does.StartWith("CARROT_WORKERS is ' , '; it must be a list of at least one worker name"));
    }

    [Test]
    public void AnEmptyList_IsRefused_ratherThanTakingNothingOrEverything()
    {
        var error = Assert.Throws<CarrotConfigurationException>(() => Load(WriteConfig("""{ "workers": [] }""")));

        Assert.That(error!.Message, Does.StartWith("\"workers\" is [] in ").And.Contain("at least one worker name"));
    }

    [Test]
    public void AStringInsteadOfAList_IsRefused_ratherThanIgnored()
    {
        var error = Assert.Throws<CarrotConfigurationException>(() => Load(WriteConfig("""{ "workers": "files" }""")));

        Assert.That(error!.Message, Does.StartWith("\"workers\" is 'files' in ").And.Contain("must be a list of worker names, e.g. [\"default\", \"files\"]"));
    }

    [Test]
    public void AWorkerThatDoesNotExist_IsNoConfigurationError()
    {
        // Existence is the daemon's business: the worker may be added after the daemon started.
        Assert.That(Load(WriteConfig("""{ "workers": ["not-created-yet"] }""")).Workers, Is.EqualTo((string[])["not-created-yet"]));
    }

    [Test]
    public void AChange_IsReportedByAReload_AsNeedingARestart()
    {
        var before = Load(WriteConfig("""{ "workers": ["files"] }"""));
        var after = Load(WriteConfig("""{ "workers": ["files", "gpu"] }"""));
        var unset = Load(WriteConfig("{}"));

        Assert.Multiple(() =>
        {
            Assert.That(RestartOnlySettings.Changed(before, after), Is.EqualTo((string[])["workers"]));
            Assert.That(RestartOnlySettings.Changed(before, unset), Is.EqualTo((string[])["workers"]));
            Assert.That(RestartOnlySettings.Changed(before, Load(WriteConfig("""{ "workers": ["files"] }"""))), Is.Empty);
        });
    }
}

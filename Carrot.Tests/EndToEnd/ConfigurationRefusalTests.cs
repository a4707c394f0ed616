using Carrot.Tests.Support;

namespace Carrot.Tests.EndToEnd;

/// <summary>
/// A setting out of range (one that would overflow a date or a timer once used) is refused when the
/// configuration is read, by the CLI and by carrotd alike: one line naming the key, the range and the file.
/// </summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class ConfigurationRefusalTests : SandboxTest
{
    [TestCase("failedRetentionDays", 1000000, "from 0 (keep forever) to 3650 days (10 years)")]
    [TestCase("defaultTimeoutSeconds", 4320000, "from 0 (no limit) to 4233600 seconds, that is 49 days")]
    [TestCase("maxLogLineChars", 0, "from 256 to 1048576 characters (1 Mi)")]
    public async Task SettingOutOfRange_IsRefusedByTheCliAndTheDaemon_InOneLine(string key, double value, string allowed)
    {
        Sandbox.WriteConfig(Sandbox.BrokerUri, new Dictionary<string, object> { [key] = value });
        var expected = $"\"{key}\" is {value.ToString(System.Globalization.CultureInfo.InvariantCulture)} in {Sandbox.ConfigPath}; it must be {allowed}.";

        var cli = await Sandbox.CarrotAsync("status");
        var daemon = await ProcessRunner.RunAsync(RepositoryPaths.Carrotd, [], Sandbox.Environment(), TimeSpan.FromSeconds(60));

        Assert.Multiple(() =>
        {
            Assert.That(cli.ExitCode, Is.EqualTo(2), cli.Output);
            Assert.That(cli.StdErr, Does.Contain(expected));
            Assert.That(cli.StdErr.TrimEnd().Split('\n'), Has.Length.EqualTo(1), cli.StdErr);
            Assert.That(daemon.ExitCode, Is.EqualTo(2), daemon.Output);
            Assert.That(daemon.Output, Does.Contain(expected));
            Assert.That(daemon.Output.TrimEnd().Split('\n'), Has.Length.EqualTo(1), daemon.Output);
            Assert.That(File.Exists(Sandbox.DatabasePath), Is.False, "nothing was written");
        });
    }
}

using System.Text.RegularExpressions;

namespace Carrot.Tests.Isolation;

/// <summary>
/// What carrotd's own output (the journal) shows of a process worker's runner: its task's lines only with
/// taskLogToJournal, as in-process; its own stderr (a crash's text) always, as warnings with its pid.
/// </summary>
[TestFixture]
[Category("EndToEnd")]
[Category("Isolation")]
public sealed partial class RunnerJournalTests : ProcessWorkerTest
{
    [TestCase(true)]
    [TestCase(false)]
    public async Task ARunnersTaskLines_AreStored_AndReachTheJournalOnlyWithTaskLogToJournal(bool taskLogToJournal)
    {
        await using (var setup = await Sandbox.CreateClientAsync())
        {
            await AddProcessWorkerAsync(setup, "isolated", 1);
        }

        var daemon = await StartAsync(("taskLogToJournal", taskLogToJournal));
        await using var client = await Sandbox.CreateClientAsync();
        var id = await EnqueueAsync(client, "CrashingTasks.Neighbours.Talk", "isolated", "[2, 10]");
        await SucceededAsync(client, id);
        var stored = (await client.GetTaskLogsAsync(id)).Select(l => l.Message).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(stored, Does.Contain("line 1 through the context").And.Contain("line 2 on the console"));
            Assert.That(daemon.Output.Contains("line 1 through the context", StringComparison.Ordinal), Is.EqualTo(taskLogToJournal), daemon.Output);
            Assert.That(daemon.Output.Contains("line 2 on the console", StringComparison.Ordinal), Is.EqualTo(taskLogToJournal), daemon.Output);
        });
        if (taskLogToJournal)
        {
            Assert.That(Regex.Matches(daemon.Output, "INF line 1 on the console"), Has.Count.EqualTo(1), "once, at its level, not twice");
        }
    }

    [Test]
    public async Task ARunnersStderr_ReachesTheJournal_AsWarningsWithItsPid_EvenWithoutTaskLogToJournal()
    {
        await using (var setup = await Sandbox.CreateClientAsync())
        {
            await AddProcessWorkerAsync(setup, "isolated", 1);
        }

        var daemon = await StartAsync(("taskLogToJournal", false));
        await using var client = await Sandbox.CreateClientAsync();
        var crashed = await FinishedAsync(client, await EnqueueAsync(client, "CrashingTasks.Crashes.FailFast", "isolated"));
        var pid = PidPattern().Match(crashed.ErrorMessage ?? "").Groups[1].Value;

        Assert.Multiple(() =>
        {
            Assert.That(pid, Is.Not.Empty, crashed.ErrorMessage);
            Assert.That(daemon.Output, Does.Contain($"WRN Runner {pid} of worker isolated on stderr: "), daemon.Output);
            Assert.That(daemon.Output, Does.Match($"WRN Runner {pid} of worker isolated on stderr: .*was asked to fail fast"));
        });
    }

    [GeneratedRegex(@"\(pid (\d+)\)")]
    private static partial Regex PidPattern();
}

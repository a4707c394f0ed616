using System.Diagnostics;
using Carrot.Tests.Support;

namespace Carrot.Tests.Monitor;

/// <summary><c>carrot tasks show ID --logs --follow</c> against a real carrotd: lines arrive while the task runs.</summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class FollowLogsTests : SandboxTest
{
    [Test]
    public async Task Follow_PrintsEachLineOnce_WhileTheTaskRuns_ThenItsEnd()
    {
        await Sandbox.StartDaemonAsync();
        var enqueue = await Sandbox.CarrotAsync("enqueue", "MyLib.Chatter.Talk", "--args", "[12, 250]");
        var id = enqueue.StdOut.Trim();
        var started = Stopwatch.StartNew();

        var follow = await Sandbox.CarrotAsync("tasks", "show", id, "--logs", "--follow");

        var lines = follow.StdOut.Split('\n').Where(l => l.Contains(" of 12", StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(follow.ExitCode, Is.EqualTo(0), follow.Output);
            Assert.That(lines, Has.Count.EqualTo(12), follow.StdOut);
            Assert.That(lines.Select(l => l[(l.IndexOf("line ", StringComparison.Ordinal) + 5)..l.IndexOf(" of", StringComparison.Ordinal)]), Is.EqualTo(Enumerable.Range(1, 12).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            Assert.That(follow.StdOut.TrimEnd(), Does.EndWith($"Task {id} succeeded."));
            Assert.That(started.Elapsed, Is.GreaterThan(TimeSpan.FromSeconds(2)), "it followed the run rather than printing a finished task");
        });
    }

    [Test]
    public async Task Follow_WithoutLogs_OrWithJson_IsRefusedInOneLine()
    {
        var withoutLogs = await Sandbox.CarrotAsync("tasks", "show", "1", "--follow");
        var withJson = await Sandbox.CarrotAsync("tasks", "show", "1", "--logs", "--follow", "--json");

        Assert.Multiple(() =>
        {
            Assert.That(withoutLogs.ExitCode, Is.EqualTo(2));
            Assert.That(withoutLogs.StdErr, Does.Contain("--follow goes with --logs"));
            Assert.That(withJson.ExitCode, Is.EqualTo(2));
        });
    }
}

using System.Text.Json;
using Carrot.Tests.Support;

namespace Carrot.Tests.Isolation;

/// <summary><c>carrot workers add|update --runner-max-tasks/--runner-max-memory</c>, and where <c>workers list</c> and <c>status</c> show them.</summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class WorkerRunnerLimitsCliTests : SandboxTest
{
    [Test]
    public async Task WorkersAdd_WithRunnerLimits_IsShownByListAndStatus_InTablesAndJson()
    {
        var add = await Sandbox.CarrotAsync("workers", "add", "reports", "--isolation", "process", "--runner-max-tasks", "50", "--runner-max-memory", "1024");
        Assert.That(add.ExitCode, Is.EqualTo(0), add.Output);
        Assert.That(add.Output, Does.Contain("runner limits 50 tasks, 1,024 MiB"));

        var list = await Sandbox.CarrotAsync("workers", "list");
        var listJson = await Sandbox.CarrotAsync("workers", "list", "--json");
        var status = await Sandbox.CarrotAsync("status");
        var statusJson = await Sandbox.CarrotAsync("status", "--json");

        using var workers = JsonDocument.Parse(listJson.StdOut);
        using var statusDocument = JsonDocument.Parse(statusJson.StdOut);
        var reports = workers.RootElement.EnumerateArray().Single(w => w.GetProperty("name").GetString() == "reports");
        var builtIn = workers.RootElement.EnumerateArray().Single(w => w.GetProperty("name").GetString() == "default");
        var reportsStatus = statusDocument.RootElement.GetProperty("workers").EnumerateArray().Single(w => w.GetProperty("worker").GetString() == "reports");
        Assert.Multiple(() =>
        {
            Assert.That(list.Output, Does.Contain("RUNNER LIMITS"));
            Assert.That(list.Output, Does.Match(@"reports\s+1\s+process\s+50 tasks, 1,024 MiB"));
            Assert.That(list.Output, Does.Match(@"default\s+\d+\s+inprocess\s+-\s"), "an in-process worker has no runners");
            Assert.That(reports.GetProperty("runnerMaxTasks").GetInt32(), Is.EqualTo(50));
            Assert.That(reports.GetProperty("runnerMaxMemoryMiB").GetInt32(), Is.EqualTo(1024));
            Assert.That(builtIn.GetProperty("runnerMaxTasks").ValueKind, Is.EqualTo(JsonValueKind.Null), "null: the daemon's default");
            Assert.That(status.Output, Does.Contain("Runner limits of their own: reports 50 tasks, 1,024 MiB"));
            Assert.That(reportsStatus.GetProperty("runnerMaxTasks").GetInt32(), Is.EqualTo(50));
            Assert.That(reportsStatus.GetProperty("runnerMaxMemoryMiB").GetInt32(), Is.EqualTo(1024));
        });
    }

    [Test]
    public async Task WorkersUpdate_ChangesOneLimit_AndDefaultClearsIt()
    {
        await Sandbox.CarrotAsync("workers", "add", "files", "--isolation", "process", "--runner-max-tasks", "10", "--runner-max-memory", "256");

        var set = await Sandbox.CarrotAsync("workers", "update", "files", "--runner-max-tasks", "0");
        var afterSet = await ListedAsync("files");
        var clear = await Sandbox.CarrotAsync("workers", "update", "files", "--runner-max-memory", "DEFAULT");
        var afterClear = await ListedAsync("files");
        var list = await Sandbox.CarrotAsync("workers", "list");

        Assert.Multiple(() =>
        {
            Assert.That(set.ExitCode, Is.EqualTo(0), set.Output);
            Assert.That(afterSet, Is.EqualTo(((int?)0, (int?)256)));
            Assert.That(clear.ExitCode, Is.EqualTo(0), clear.Output);
            Assert.That(clear.Output, Does.Contain("runner limits unlimited tasks, default MiB"));
            Assert.That(afterClear, Is.EqualTo(((int?)0, (int?)null)));
            Assert.That(list.Output, Does.Match(@"files\s+1\s+process\s+unlimited tasks, default MiB"));
        });
    }

    [Test]
    public async Task LimitsOfAnInProcessWorker_AreKept_AndSaidToWaitForProcessIsolation()
    {
        var add = await Sandbox.CarrotAsync("workers", "add", "later", "--runner-max-tasks", "5");
        var list = await Sandbox.CarrotAsync("workers", "list");

        Assert.Multiple(() =>
        {
            Assert.That(add.ExitCode, Is.EqualTo(0), add.Output);
            Assert.That(list.Output, Does.Contain("(5 tasks, default MiB once process)"));
        });
    }

    [TestCase("add", "--runner-max-tasks", "-1", "Runner max tasks -1 is out of range: use from 0 (no limit) to 2147483647 tasks, or 'default'")]
    [TestCase("add", "--runner-max-tasks", "lots", "'lots' is not a whole number for --runner-max-tasks")]
    [TestCase("update", "--runner-max-memory", "2000000", "Runner max memory 2000000 MiB is out of range: use from 0 (no limit) to 1048576 MiB (1 TiB), or 'default'")]
    [TestCase("update", "--runner-max-memory", "512MB", "'512MB' is not a whole number for --runner-max-memory")]
    public async Task ABadLimit_IsOneClearLine_ExitTwo_AndChangesNothing(string verb, string option, string value, string message)
    {
        if (verb == "update")
        {
            await Sandbox.CarrotAsync("workers", "add", "files", "--isolation", "process", "--runner-max-memory", "300");
        }

        var run = await Sandbox.CarrotAsync("workers", verb, "files", option, value);
        var list = await Sandbox.CarrotAsync("workers", "list", "--json");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2), run.Output);
            Assert.That(run.Output, Does.Contain(message));
            Assert.That(run.Output.Trim().Split('\n'), Has.Length.EqualTo(1), run.Output);
        });
        if (verb == "add")
        {
            Assert.That(list.StdOut, Does.Not.Contain("files"));
        }
        else
        {
            Assert.That(await ListedAsync("files"), Is.EqualTo(((int?)null, (int?)300)));
        }
    }

    private async Task<(int? MaxTasks, int? MaxMemoryMiB)> ListedAsync(string worker)
    {
        var list = await Sandbox.CarrotAsync("workers", "list", "--json");
        using var document = JsonDocument.Parse(list.StdOut);
        var found = document.RootElement.EnumerateArray().Single(w => w.GetProperty("name").GetString() == worker);
        static int? Read(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetInt32();
        return (Read(found.GetProperty("runnerMaxTasks")), Read(found.GetProperty("runnerMaxMemoryMiB")));
    }
}

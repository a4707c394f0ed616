using System.Text.Json;
using Carrot.Tests.Support;

namespace Carrot.Tests.Isolation;

/// <summary><c>carrot workers add|update --isolation</c>, and where <c>workers list</c> and <c>status</c> show it.</summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class WorkerIsolationCliTests : SandboxTest
{
    [Test]
    public async Task WorkersAdd_WithIsolationProcess_IsShownByListAndStatus_InTablesAndJson()
    {
        var add = await Sandbox.CarrotAsync("workers", "add", "untrusted", "--isolation", "process", "--concurrency", "2");
        Assert.That(add.ExitCode, Is.EqualTo(0), add.Output);
        Assert.That(add.Output, Does.Contain("isolation process"));

        var list = await Sandbox.CarrotAsync("workers", "list");
        var listJson = await Sandbox.CarrotAsync("workers", "list", "--json");
        var status = await Sandbox.CarrotAsync("status");
        var statusJson = await Sandbox.CarrotAsync("status", "--json");

        using var workers = JsonDocument.Parse(listJson.StdOut);
        using var statusDocument = JsonDocument.Parse(statusJson.StdOut);
        var isolations = workers.RootElement.EnumerateArray().ToDictionary(w => w.GetProperty("name").GetString()!, w => w.GetProperty("isolation").GetString());
        var statusIsolations = statusDocument.RootElement.GetProperty("workers").EnumerateArray().ToDictionary(w => w.GetProperty("worker").GetString()!, w => w.GetProperty("isolation").GetString());
        Assert.Multiple(() =>
        {
            Assert.That(list.Output, Does.Contain("ISOLATION"));
            Assert.That(list.Output, Does.Match(@"untrusted\s+2\s+process"));
            Assert.That(isolations, Is.EqualTo(new Dictionary<string, string?> { ["default"] = "inprocess", ["untrusted"] = "process" }));
            Assert.That(status.Output, Does.Match(@"untrusted\s+2 process"));
            Assert.That(statusIsolations["untrusted"], Is.EqualTo("process"));
        });
    }

    [Test]
    public async Task WorkersUpdate_ChangesTheIsolation()
    {
        await Sandbox.CarrotAsync("workers", "add", "files");

        var update = await Sandbox.CarrotAsync("workers", "update", "files", "--isolation", "process");
        var list = await Sandbox.CarrotAsync("workers", "list", "--json");

        Assert.That(update.ExitCode, Is.EqualTo(0), update.Output);
        Assert.That(list.StdOut, Does.Contain("\"isolation\": \"process\"").Or.Contain("\"isolation\":\"process\""));
    }

    [TestCase("add")]
    [TestCase("update")]
    public async Task ABadIsolation_IsOneClearLine_ExitTwo_AndChangesNothing(string verb)
    {
        if (verb == "update")
        {
            await Sandbox.CarrotAsync("workers", "add", "files");
        }

        var run = await Sandbox.CarrotAsync("workers", verb, "files", "--isolation", "sandbox");
        var list = await Sandbox.CarrotAsync("workers", "list", "--json");

        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2), run.Output);
            Assert.That(run.Output, Does.Contain("'sandbox' is not an isolation: use 'process'"));
            Assert.That(list.StdOut, Does.Not.Contain("\"process\""));
        });
        if (verb == "add")
        {
            Assert.That(list.StdOut, Does.Not.Contain("files"));
        }
    }
}

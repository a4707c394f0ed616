using System.Text.Json;
using Carrot.Tasks;

namespace Carrot.Tests.Isolation;

/// <summary>Runners are replaced after N tasks and above a memory limit, and when the kernel kills one for memory.</summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class RunnerLifecycleTests : ProcessWorkerTest
{
    [Test]
    public async Task ARunner_IsReplacedAfterRunnerMaxTasks()
    {
        await using (var setup = await Sandbox.CreateClientAsync())
        {
            await AddProcessWorkerAsync(setup, "isolated", 1);
        }

        var daemon = await StartAsync(("runnerMaxTasks", 2));
        await using var client = await Sandbox.CreateClientAsync();

        var pids = new List<string?>();
        for (var i = 0; i < 3; i++)
        {
            pids.Add((await SucceededAsync(client, await EnqueueAsync(client, "CrashingTasks.Neighbours.ProcessId", "isolated"))).Result);
        }

        Assert.Multiple(() =>
        {
            Assert.That(pids[1], Is.EqualTo(pids[0]), "the second task ran on the first runner");
            Assert.That(pids[2], Is.Not.EqualTo(pids[0]), "the third task ran on a new runner");
            Assert.That(daemon.Output, Does.Contain("replaced: it ran 2 tasks (runnerMaxTasks 2)"));
        });
    }

    [Test]
    public async Task ARunner_IsReplacedAfterItsTask_WhenItsMemoryPassesTheLimit()
    {
        await using (var setup = await Sandbox.CreateClientAsync())
        {
            await AddProcessWorkerAsync(setup, "isolated", 1);
        }

        var daemon = await StartAsync(("runnerMaxMemoryMiB", 150));
        await using var client = await Sandbox.CreateClientAsync();

        var small = (await SucceededAsync(client, await EnqueueAsync(client, "CrashingTasks.Neighbours.Hold", "isolated", "[1]"))).Result;
        var leaky = (await SucceededAsync(client, await EnqueueAsync(client, "CrashingTasks.Neighbours.Hold", "isolated", "[200]"))).Result;
        var after = (await SucceededAsync(client, await EnqueueAsync(client, "CrashingTasks.Neighbours.ProcessId", "isolated"))).Result;

        Assert.Multiple(() =>
        {
            Assert.That(leaky, Is.EqualTo(small), "below the limit the runner is kept");
            Assert.That(after, Is.Not.EqualTo(leaky), "the leaky task finished, then its runner was replaced");
            Assert.That(daemon.Output, Does.Contain("(runnerMaxMemoryMiB 150)"));
        });
    }

    [Test]
    public async Task AnOutOfMemoryKill_InsideASmallCgroup_FailsOnlyThatTask_WithSigkill()
    {
        var (cgroup, reason) = MemoryCgroup.TryCreate(160L * 1024 * 1024);
        if (cgroup is null)
        {
            Assert.Ignore(reason);
        }

        using var _ = cgroup;
        await using (var setup = await Sandbox.CreateClientAsync())
        {
            await AddProcessWorkerAsync(setup, "isolated", 2);
        }

        var daemon = await StartAsync();
        await using var client = await Sandbox.CreateClientAsync();
        var pidFile = Path.Combine(Sandbox.Folder, "runner.pid");
        var goFile = Path.Combine(Sandbox.Folder, "go");

        var neighbour = await EnqueueAsync(client, "CrashingTasks.Neighbours.Hello", "isolated", "[\"neighbour\", 3000]");
        var hog = await EnqueueAsync(client, "CrashingTasks.Crashes.AllocateWhenTold", "isolated",
            $"[{JsonSerializer.Serialize(pidFile)}, {JsonSerializer.Serialize(goFile)}, 1024]");
        var pid = await ProcessIsolationTests.ReadPidAsync(pidFile);
        cgroup!.Add(pid);
        await File.WriteAllTextAsync(goFile, "go");

        var killed = await FinishedAsync(client, hog);
        Assert.Multiple(async () =>
        {
            Assert.That(killed.State, Is.EqualTo(TaskState.Failed));
            Assert.That(killed.ErrorType, Is.EqualTo("Carrot.RunnerCrashed"));
            Assert.That(killed.ErrorMessage, Does.Contain("signal 9 (SIGKILL"));
            Assert.That((await SucceededAsync(client, neighbour)).Result, Is.EqualTo("\"hello neighbour\""));
            Assert.That(daemon.HasExited, Is.False);
        });
    }
}

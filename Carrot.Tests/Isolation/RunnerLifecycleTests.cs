using System.Text.Json;
using Carrot.Records;
using Carrot.Tasks;

namespace Carrot.Tests.Isolation;

/// <summary>Runners are replaced after N tasks and above a memory limit, and when the kernel kills one for memory.</summary>
[TestFixture]
[Category("EndToEnd")]
[Category("Isolation")]
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
    public async Task TwoProcessWorkers_WithTheirOwnRunnerMaxTasks_RecycleAtTheirOwnCounts()
    {
        await using (var setup = await Sandbox.CreateClientAsync())
        {
            await setup.AddWorkerAsync("every2", 1, "", WorkerIsolation.Process, runnerMaxTasks: 2, runnerMaxMemoryMiB: null);
            await setup.AddWorkerAsync("every3", 1, "", WorkerIsolation.Process, runnerMaxTasks: 3, runnerMaxMemoryMiB: null);
        }

        var daemon = await StartAsync(("runnerMaxTasks", 1000));
        await using var client = await Sandbox.CreateClientAsync();

        var every2 = new List<string?>();
        var every3 = new List<string?>();
        for (var i = 0; i < 4; i++)
        {
            every2.Add((await SucceededAsync(client, await EnqueueAsync(client, "CrashingTasks.Neighbours.ProcessId", "every2"))).Result);
            every3.Add((await SucceededAsync(client, await EnqueueAsync(client, "CrashingTasks.Neighbours.ProcessId", "every3"))).Result);
        }

        Assert.Multiple(() =>
        {
            Assert.That(every2.Distinct().Count(), Is.EqualTo(2), string.Join(", ", every2));
            Assert.That(every2[1], Is.EqualTo(every2[0]));
            Assert.That(every2[2], Is.Not.EqualTo(every2[1]), "every2's runner was replaced after 2 tasks");
            Assert.That(every2[3], Is.EqualTo(every2[2]));
            Assert.That(every3.Take(3).Distinct().Count(), Is.EqualTo(1), string.Join(", ", every3));
            Assert.That(every3[3], Is.Not.EqualTo(every3[2]), "every3's runner was replaced after 3 tasks");
            Assert.That(daemon.Output, Does.Contain("of worker every2 replaced: it ran 2 tasks (the worker's --runner-max-tasks 2)"));
            Assert.That(daemon.Output, Does.Contain("of worker every3 replaced: it ran 3 tasks (the worker's --runner-max-tasks 3)"));
        });
    }

    [Test]
    public async Task ALimitChangedWhileTheDaemonRuns_AppliesAtItsNextPoll_ToARunnerAlreadyPastIt()
    {
        await using (var setup = await Sandbox.CreateClientAsync())
        {
            await AddProcessWorkerAsync(setup, "isolated", 1);
        }

        var daemon = await StartAsync();
        await using var client = await Sandbox.CreateClientAsync();
        var before = new List<string?>();
        for (var i = 0; i < 3; i++)
        {
            before.Add((await SucceededAsync(client, await EnqueueAsync(client, "CrashingTasks.Neighbours.ProcessId", "isolated"))).Result);
        }

        await client.UpdateWorkerAsync("isolated", null, null, null, RunnerLimitChange.To(2), null);
        await daemon.WaitForLogAsync("Worker isolated runner limits changed: max tasks 2", Wait);
        var past = (await SucceededAsync(client, await EnqueueAsync(client, "CrashingTasks.Neighbours.ProcessId", "isolated"))).Result;
        var after = (await SucceededAsync(client, await EnqueueAsync(client, "CrashingTasks.Neighbours.ProcessId", "isolated"))).Result;

        Assert.Multiple(() =>
        {
            Assert.That(before.Distinct().Count(), Is.EqualTo(1), "the daemon's default (1000) kept one runner");
            Assert.That(past, Is.EqualTo(before[0]), "the runner already past the new limit finished the next task first");
            Assert.That(after, Is.Not.EqualTo(past), "then it was replaced");
            Assert.That(daemon.Output, Does.Contain("replaced: it ran 4 tasks (the worker's --runner-max-tasks 2)"));
        });
    }

    [Test]
    public async Task AfterABurst_IdleRunnersBeyondTheLast_AreStopped_AndTheLastServesTheNextTask()
    {
        await using (var setup = await Sandbox.CreateClientAsync())
        {
            await AddProcessWorkerAsync(setup, "isolated", 3);
        }

        var daemon = await StartAsync(("runnerIdleSeconds", 1));
        await using var client = await Sandbox.CreateClientAsync();
        var burst = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            burst.Add(await EnqueueAsync(client, "CrashingTasks.Neighbours.Talk", "isolated", "[1, 1500]"));
        }

        var pids = new List<string?>();
        foreach (var id in burst)
        {
            pids.Add((await SucceededAsync(client, id)).Result);
        }

        await daemon.WaitForLogAsync("of worker isolated stopped: idle for", Wait, times: 2);
        // The absence of a third stop can only be watched for: several idle checks (every 0.5 s here) go by.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var next = (await SucceededAsync(client, await EnqueueAsync(client, "CrashingTasks.Neighbours.ProcessId", "isolated"))).Result;
        var stopped = System.Text.RegularExpressions.Regex.Matches(daemon.Output, @"Runner (\d+) of worker isolated stopped: idle for").Select(m => m.Groups[1].Value).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(pids.Distinct().Count(), Is.EqualTo(3), "the burst ran on three runners");
            Assert.That(stopped, Has.Count.EqualTo(2), daemon.Output);
            Assert.That(stopped, Is.SubsetOf(pids));
            Assert.That(next, Is.AnyOf(pids.Except(stopped).ToArray()), "the last runner was kept and ran the next task");
            Assert.That(stopped.Where(pid => Directory.Exists($"/proc/{pid}")), Is.Empty, "the stopped runners have exited");
            Assert.That(daemon.Output, Does.Contain("(runnerIdleSeconds 1; the worker keeps its last runner)"));
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
    public async Task AWorkersOwnRunnerMaxMemory_ReplacesItsRunner_WhileTheDaemonSetsNoLimit()
    {
        await using (var setup = await Sandbox.CreateClientAsync())
        {
            await setup.AddWorkerAsync("leaky", 1, "", WorkerIsolation.Process, runnerMaxTasks: null, runnerMaxMemoryMiB: 150);
            await AddProcessWorkerAsync(setup, "steady", 1);
        }

        var daemon = await StartAsync(("runnerMaxMemoryMiB", 0));
        await using var client = await Sandbox.CreateClientAsync();

        var leaky = (await SucceededAsync(client, await EnqueueAsync(client, "CrashingTasks.Neighbours.Hold", "leaky", "[200]"))).Result;
        var leakyAfter = (await SucceededAsync(client, await EnqueueAsync(client, "CrashingTasks.Neighbours.ProcessId", "leaky"))).Result;
        var steady = (await SucceededAsync(client, await EnqueueAsync(client, "CrashingTasks.Neighbours.Hold", "steady", "[200]"))).Result;
        var steadyAfter = (await SucceededAsync(client, await EnqueueAsync(client, "CrashingTasks.Neighbours.ProcessId", "steady"))).Result;

        Assert.Multiple(() =>
        {
            Assert.That(leakyAfter, Is.Not.EqualTo(leaky), "the worker's own 150 MiB replaced its runner after the leak");
            Assert.That(steadyAfter, Is.EqualTo(steady), "the other worker has the daemon's setting: no limit");
            Assert.That(daemon.Output, Does.Contain("of worker leaky replaced: its memory reached").And.Contain("(the worker's --runner-max-memory 150)"));
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

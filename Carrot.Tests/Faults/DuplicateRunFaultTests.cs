using Carrot.Messaging;
using Carrot.Tasks;
using Carrot.Tests.EndToEnd;
using Carrot.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Carrot.Tests.Faults;

/// <summary>"Never two copies of one task at once", in the three ways it could break, with real daemons.</summary>
[TestFixture]
[Category("Faults")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DuplicateRunFaultTests : SandboxTest
{
    [Test]
    public async Task ARunawayRetriedByHand_DoesNotStartBesideItsFirstCopy_AndRunsOnceThatEnds()
    {
        Sandbox.WriteConfig(Sandbox.BrokerUri, new Dictionary<string, object> { ["runawayGraceSeconds"] = 1, ["reconcileAfterSeconds"] = 2 });
        var daemon = await Sandbox.StartDaemonAsync();
        await using var client = await Sandbox.CreateClientAsync();
        var probe = Path.Combine(Sandbox.Folder, "probe.log");
        var queued = await client.EnqueueAsync(new Records.EnqueueRequest
        {
            Kallable = "MyLib.Probe.RunIgnoringToken", Args = $$"""["{{probe}}", 8000]""", Timeout = TimeSpan.FromSeconds(1), MaxRetries = 0,
        });

        var runaway = await client.WaitForCompletionAsync(queued.TaskId, TimeSpan.FromSeconds(20));
        Assert.That(runaway.ErrorType, Is.EqualTo("Carrot.Timeout"));
        await client.RetryTaskAsync(queued.TaskId);
        var again = await client.WaitForCompletionAsync(queued.TaskId, TimeSpan.FromSeconds(60));
        // The second run is a runaway too (same timeout); its code writes its line when it finally returns.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (ProbeLog.Read(probe).Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        var runs = ProbeLog.Read(probe);
        Assert.Multiple(() =>
        {
            Assert.That((again.Attempts, again.ErrorType), Is.EqualTo((2, "Carrot.Timeout")), daemon.Output);
            Assert.That(runs, Has.Count.EqualTo(2));
            Assert.That(ProbeLog.MaxOverlap(runs), Is.EqualTo(1), "the retry started only after the runaway's code returned");
            Assert.That(daemon.Output, Does.Contain("still running as a runaway"));
        });
    }

    [Test]
    public async Task AWriteLockHeldLongerThanALease_DoesNotLetAnotherDaemonRescueALiveTask()
    {
        Sandbox.WriteConfig(Sandbox.BrokerUri, new Dictionary<string, object> { ["heartbeatSeconds"] = 1, ["leaseSeconds"] = 3, ["busyTimeoutSeconds"] = 1 });
        var owner = await Sandbox.StartDaemonAsync();
        await using var client = await Sandbox.CreateClientAsync();
        var probe = Path.Combine(Sandbox.Folder, "probe.log");
        var queued = await client.EnqueueAsync("MyLib.Probe.Run", [probe, 12_000]);
        await owner.WaitForLogAsync($"Task {queued.TaskId} MyLib.Probe.Run started", TimeSpan.FromSeconds(15));
        var other = await Sandbox.StartDaemonAsync();

        // Like one huge 'carrot enqueue --batch' transaction: nobody can write for twice the lease.
        await using (var holder = new SqliteConnection($"Data Source={Sandbox.DatabasePath};Pooling=False"))
        {
            await holder.OpenAsync();
            await using var begin = holder.CreateCommand();
            begin.CommandText = "BEGIN IMMEDIATE";
            await begin.ExecuteNonQueryAsync();
            await Task.Delay(TimeSpan.FromSeconds(6));
            begin.CommandText = "COMMIT";
            await begin.ExecuteNonQueryAsync();
        }

        var done = await client.WaitForCompletionAsync(queued.TaskId, TimeSpan.FromSeconds(40));
        Assert.Multiple(() =>
        {
            Assert.That((done.State, done.Attempts), Is.EqualTo((TaskState.Succeeded, 1)), other.Output);
            Assert.That(ProbeLog.Read(probe), Has.Count.EqualTo(1));
            Assert.That(other.Output, Does.Not.Contain("Rescued"));
        });
    }

    [Test]
    public async Task AMessagePublishedByHandOnAnotherWorkersQueue_IsDeadLettered_NotRunThere()
    {
        var daemon = await Sandbox.StartDaemonAsync();
        await using var client = await Sandbox.CreateClientAsync();
        await client.AddWorkerAsync("files", 1);
        await client.PauseWorkerAsync("files");
        var queued = await client.EnqueueAsync("MyLib.Jobs.Add", [1, 2], worker: "files");

        var connector = new BrokerConnector(Configuration.CarrotConfiguration.Load(Sandbox.ConfigPath, _ => null));
        await using (var connection = await connector.ConnectAsync("test", CancellationToken.None))
        await using (var channel = await connection.CreateChannelAsync())
        {
            await channel.BasicPublishAsync(Topology.Exchange, "default", mandatory: true, new RabbitMQ.Client.BasicProperties { Persistent = true }, TaskMessage.Encode(queued.TaskId));
        }

        await daemon.WaitForLogAsync($"Dead-lettering a message for task {queued.TaskId} that arrived on worker default's queue", TimeSpan.FromSeconds(15));
        Assert.That((await client.GetTaskAsync(queued.TaskId))!.State, Is.EqualTo(TaskState.Queued), "it waits for its own, paused worker");
    }

    [Test]
    public async Task ADaemonThatCannotSeeAnotherUsersCarrotd_DoesNotBuryIt()
    {
        Assume.That(Environment.UserName, Is.EqualTo("root"), "needs root to start a daemon as another user with its own /proc");
        var owner = await Sandbox.StartDaemonAsync();
        await using var client = await Sandbox.CreateClientAsync();
        var probe = Path.Combine(Sandbox.Folder, "probe.log");
        var queued = await client.EnqueueAsync("MyLib.Probe.Run", [probe, 6000]);
        await owner.WaitForLogAsync($"Task {queued.TaskId} MyLib.Probe.Run started", TimeSpan.FromSeconds(15));

        // As a service with ProtectProc=invisible sees it: another user's processes are not in its /proc.
        foreach (var path in Directory.GetFiles(Sandbox.Folder).Append(Sandbox.Folder))
        {
            File.SetUnixFileMode(path, (UnixFileMode)0b111_111_111);
        }

        var hidden = DaemonProcess.Start("unshare", Sandbox.Environment(), "--mount", "--propagation", "private", "sh", "-c",
            $"mount -t proc -o hidepid=invisible proc /proc && exec setpriv --reuid=65534 --regid=65534 --clear-groups {RepositoryPaths.Carrotd}");
        await using (hidden)
        {
            await hidden.WaitForLogAsync("Consuming carrot.default", TimeSpan.FromSeconds(30));
            var done = await client.WaitForCompletionAsync(queued.TaskId, TimeSpan.FromSeconds(30));

            Assert.Multiple(() =>
            {
                Assert.That((done.State, done.Attempts), Is.EqualTo((TaskState.Succeeded, 1)), hidden.Output);
                Assert.That(hidden.Output, Does.Not.Contain("died without stopping"));
                Assert.That(ProbeLog.Read(probe), Has.Count.EqualTo(1), "it ran once");
            });
        }
    }
}

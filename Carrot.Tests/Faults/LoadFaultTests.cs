using Carrot.Tasks;
using Carrot.Tests.EndToEnd;
using Carrot.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Carrot.Tests.Faults;

/// <summary>Bursts and a database locked by another process.</summary>
[TestFixture]
[Category("Faults")]
public sealed class LoadFaultTests : SandboxTest
{
    [Test]
    public async Task BurstOfAThousand_OnConcurrencyFour_NeverRunsMoreThanFourAtOnce_AndAllSucceed()
    {
        await using var client = await Sandbox.CreateClientAsync();
        await client.AddWorkerAsync("burst", 4);
        var probe = Path.Combine(Sandbox.Folder, "probe.log");
        for (var i = 0; i < 1000; i++)
        {
            var queued = await client.EnqueueAsync("MyLib.Probe.Run", [probe, i % 7], worker: "burst");
            Assert.That(queued.Published, Is.True);
        }

        await Sandbox.StartDaemonAsync();
        await client.WaitForCompletionAsync(1000, TimeSpan.FromSeconds(120));
        for (var id = 1; id <= 1000; id++)
        {
            Assert.That((await client.WaitForCompletionAsync(id, TimeSpan.FromSeconds(30))).State, Is.EqualTo(TaskState.Succeeded));
        }

        var runs = ProbeLog.Read(probe);
        Assert.That(runs.Select(r => r.TaskId).Distinct().Count(), Is.EqualTo(1000));
        Assert.That(runs, Has.Count.EqualTo(1000));
        Assert.That(ProbeLog.MaxOverlap(runs), Is.LessThanOrEqualTo(4));
    }

    [Test]
    public async Task DatabaseLockedPastTheBusyTimeout_CliFailsCleanly_AndTheDaemonCatchesUp()
    {
        Sandbox.WriteConfig(Sandbox.BrokerUri, new Dictionary<string, object> { ["busyTimeoutSeconds"] = 1 });
        var daemon = await Sandbox.StartDaemonAsync();
        await using var client = await Sandbox.CreateClientAsync();
        var probe = Path.Combine(Sandbox.Folder, "probe.log");
        var queued = await client.EnqueueAsync("MyLib.Probe.Run", [probe, 1500]);
        await daemon.WaitForLogAsync($"Task {queued.TaskId} MyLib.Probe.Run started", TimeSpan.FromSeconds(15));

        ProcessResult refused;
        await using (var locker = new SqliteConnection($"Data Source={Sandbox.DatabasePath};Pooling=False"))
        {
            await locker.OpenAsync();
            await using (var begin = locker.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE";
                await begin.ExecuteNonQueryAsync();
            }

            refused = await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs+Nested.Ping");
            await daemon.WaitForLogAsync("Could not record a task outcome", TimeSpan.FromSeconds(15));
            await Task.Delay(TimeSpan.FromSeconds(2));
        }

        var done = await client.WaitForCompletionAsync(queued.TaskId, TimeSpan.FromSeconds(30));
        Assert.Multiple(async () =>
        {
            Assert.That(refused.ExitCode, Is.EqualTo(1), refused.Output);
            Assert.That(refused.StdErr, Does.Contain("locked"));
            Assert.That(refused.StdErr.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
            Assert.That(await Sandbox.ScalarAsync<long>("SELECT count(*) FROM tasks"), Is.EqualTo(1), "the refused enqueue wrote nothing");
            Assert.That(done.State, Is.EqualTo(TaskState.Succeeded));
            Assert.That(done.Attempts, Is.EqualTo(1));
            Assert.That(ProbeLog.Read(probe), Has.Count.EqualTo(1));
        });
    }
}

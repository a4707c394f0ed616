using System.Globalization;
using Carrot.Tasks;
using Carrot.Tests.Support;

namespace Carrot.Tests.EndToEnd;

/// <summary>
/// A task that writes a 64 MiB line and a million lines under a real carrotd: the daemon's memory stays bounded,
/// the stored lines are cut and say so, and none of it reaches carrotd's own output (the journal) by default.
/// </summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class TaskLogBoundsTests : SandboxTest
{
    private const long HugeLine = 64L * 1024 * 1024;
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(3);

    [Test]
    public async Task HugeLineAndAMillionLines_AreCutAndCounted_InBoundedMemory_AndStayOutOfTheJournal()
    {
        var daemon = await Sandbox.StartDaemonAsync();
        await using var client = await Sandbox.CreateClientAsync();

        // Warm up first (task assembly, JIT, the writer), so the peak measured after is what the logs cost.
        var warmUp = await client.EnqueueAsync("MyLib.Chatter.LogLines", [3]);
        Assert.That((await client.WaitForCompletionAsync(warmUp.TaskId, Wait)).State, Is.EqualTo(TaskState.Succeeded));
        var before = PeakResidentKiB(daemon.Pid);

        var huge = await client.EnqueueAsync("MyLib.Chatter.LongLine", [HugeLine]);
        Assert.That((await client.WaitForCompletionAsync(huge.TaskId, Wait)).State, Is.EqualTo(TaskState.Succeeded));
        var many = await client.EnqueueAsync("MyLib.Chatter.ManyLines", [1_000_000]);
        Assert.That((await client.WaitForCompletionAsync(many.TaskId, Wait)).State, Is.EqualTo(TaskState.Succeeded));
        var after = PeakResidentKiB(daemon.Pid);
        await TestContext.Out.WriteLineAsync($"carrotd VmHWM: {before / 1024} MiB after warm-up, {after / 1024} MiB after a 64 MiB line and 1,000,000 lines");

        Assert.Multiple(async () =>
        {
            // Held whole, the line alone would take 128 MiB (UTF-16) and more while a StringBuilder grows.
            Assert.That(after - before, Is.LessThan(64 * 1024), "carrotd's peak memory grew by less than 64 MiB");

            Assert.That(await Sandbox.ScalarAsync<long>($"SELECT count(*) FROM task_logs WHERE task_id = {huge.TaskId}"), Is.EqualTo(1));
            Assert.That(await Sandbox.ScalarAsync<long>($"SELECT length(message) FROM task_logs WHERE task_id = {huge.TaskId}"), Is.EqualTo(16 * 1024));
            Assert.That(await Sandbox.ScalarAsync<string>($"SELECT message FROM task_logs WHERE task_id = {huge.TaskId}"),
                Does.StartWith("xxxx").And.EndWith(" … [cut to 16,384 of 67,108,864 characters]"));

            Assert.That(await Sandbox.ScalarAsync<long>($"SELECT count(*) FROM task_logs WHERE task_id = {many.TaskId}"), Is.EqualTo(5001));
            Assert.That(await Sandbox.ScalarAsync<string>($"SELECT message FROM task_logs WHERE task_id = {many.TaskId} ORDER BY seq LIMIT 1 OFFSET 4999"), Is.EqualTo("console line 4999"));
            Assert.That(await Sandbox.ScalarAsync<string>($"SELECT message FROM task_logs WHERE task_id = {many.TaskId} ORDER BY seq DESC LIMIT 1"),
                Is.EqualTo("995,000 more line(s) were dropped: an attempt keeps at most 5,000 lines (maxLogLinesPerAttempt)."));

            Assert.That(await Sandbox.ScalarAsync<long>($"SELECT count(*) FROM task_logs WHERE task_id = {warmUp.TaskId}"), Is.EqualTo(3), "logged lines are stored");
            Assert.That(daemon.Output, Does.Not.Contain("logged line").And.Not.Contain("console line").And.Not.Contain("xxxxxxxx"), "no task line in carrotd's output");
            Assert.That(daemon.Output, Does.Contain($"Task {many.TaskId} succeeded"), "the daemon's own lines are");
        });
    }

    [Test]
    public async Task TaskLogToJournal_CopiesLoggedLinesToCarrotdsOutput()
    {
        Sandbox.WriteConfig(Sandbox.BrokerUri, new Dictionary<string, object> { ["taskLogToJournal"] = true });
        var daemon = await Sandbox.StartDaemonAsync();
        await using var client = await Sandbox.CreateClientAsync();

        var run = await client.EnqueueAsync("MyLib.Chatter.LogLines", [3]);
        Assert.That((await client.WaitForCompletionAsync(run.TaskId, Wait)).State, Is.EqualTo(TaskState.Succeeded));

        await daemon.WaitForLogAsync("logged line 2", TimeSpan.FromSeconds(10));
        Assert.That(await Sandbox.ScalarAsync<long>($"SELECT count(*) FROM task_logs WHERE task_id = {run.TaskId}"), Is.EqualTo(3));
    }

    /// <summary>VmHWM: the most memory the process has held resident so far, in KiB.</summary>
    private static long PeakResidentKiB(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}

using Carrot.Records;
using Carrot.Tasks;
using Carrot.Tests.Support;

namespace Carrot.Tests.Isolation;

/// <summary>
/// Process workers on the PostgreSQL store, for real: a runner never touches the database, so what differs is only the
/// daemon's side of the pipeline (claim, outcome, hard stop), which this runs on the run's private server.
/// </summary>
[TestFixture]
[Category("EndToEnd")]
[Category("Isolation")]
public sealed class ProcessWorkersOnPostgresTests : ProcessWorkerTest
{
    [Test]
    public async Task OnPostgres_ACrashFailsOnlyItsTask_ATaskIgnoringItsTokenIsStoppedHard_AndNeighboursSucceed()
    {
        var database = await SharedPostgres.CreateDatabaseAsync(migrated: true);
        Sandbox.WriteConfig(Sandbox.BrokerUri, IsolationAssets.Settings(("database", database), ("runawayGraceSeconds", 1)));
        await using (var setup = await Sandbox.CreateClientAsync())
        {
            await AddProcessWorkerAsync(setup, "isolated", 3);
        }

        var daemon = await Sandbox.StartDaemonAsync();
        await using var client = await Sandbox.CreateClientAsync();
        var marker = Path.Combine(Sandbox.Folder, "side-effect.txt");

        var neighbour = await EnqueueAsync(client, "CrashingTasks.Neighbours.Hello", "isolated", "[\"same\", 3000]");
        var inProcess = await EnqueueAsync(client, "CrashingTasks.Neighbours.Hello", WorkerRecord.DefaultName, "[\"inprocess\", 3000]");
        await daemon.WaitForLogAsync($"Task {neighbour} ", TimeSpan.FromSeconds(30));
        var crash = await EnqueueAsync(client, "CrashingTasks.Crashes.Exit", "isolated", "[3]");
        var stubborn = await EnqueueAsync(client, "CrashingTasks.Neighbours.IgnoreToken", "isolated", $"[4, {System.Text.Json.JsonSerializer.Serialize(marker)}]", timeout: TimeSpan.FromSeconds(1));

        var crashed = await FinishedAsync(client, crash);
        var stopped = await FinishedAsync(client, stubborn);
        var after = await EnqueueAsync(client, "CrashingTasks.Neighbours.Hello", "isolated", "[\"after\", 0]");
        var afterTask = await SucceededAsync(client, after);
        // Past the moment the stubborn task would have written its file, had its code gone on.
        await Task.Delay(TimeSpan.FromSeconds(5));

        Assert.Multiple(async () =>
        {
            Assert.That(crashed.State, Is.EqualTo(TaskState.Failed));
            Assert.That(crashed.ErrorType, Is.EqualTo("Carrot.RunnerCrashed"));
            Assert.That(crashed.ErrorMessage, Does.Contain("exited with code 3"));
            Assert.That(stopped.State, Is.EqualTo(TaskState.Failed));
            Assert.That(stopped.ErrorType, Is.EqualTo("Carrot.Timeout"));
            Assert.That(stopped.ErrorMessage, Does.Contain("killed its runner process"));
            Assert.That(File.Exists(marker), Is.False, "the side effect after the hard stop happened");
            Assert.That((await SucceededAsync(client, neighbour)).Result, Is.EqualTo("\"hello same\""));
            Assert.That((await SucceededAsync(client, inProcess)).Result, Is.EqualTo("\"hello inprocess\""));
            Assert.That(afterTask.Result, Is.EqualTo("\"hello after\""));
            Assert.That(daemon.HasExited, Is.False);
        });
    }
}

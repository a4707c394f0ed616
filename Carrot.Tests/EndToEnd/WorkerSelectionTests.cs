using Carrot.Records;
using Carrot.Tasks;
using Carrot.Tests.Support;

namespace Carrot.Tests.EndToEnd;

/// <summary>The daemon's <c>workers</c> setting: two daemons on one database and broker, one taking only <c>files</c>.</summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class WorkerSelectionTests : SandboxTest
{
    private const int TasksPerWorker = 30;

    [Test]
    public async Task ADaemonWithWorkersFiles_NeverRunsADefaultTask_AndTakesAListedWorkerOnceItIsAdded()
    {
        var add = await Sandbox.CarrotAsync("workers", "add", "files", "--concurrency", "2");
        Assert.That(add.ExitCode, Is.EqualTo(0), add.Output);
        var everything = await Sandbox.StartDaemonAsync();
        var environment = Sandbox.Environment();
        environment["CARROT_WORKERS"] = "files, gpu";
        await using var filesOnly = DaemonProcess.Start(RepositoryPaths.Carrotd, environment);
        try
        {
            await filesOnly.WaitForLogAsync("Consuming carrot.files", TimeSpan.FromSeconds(30));
            var probe = Path.Combine(Sandbox.Folder, "probe.log");

            await using (var client = await Sandbox.CreateClientAsync())
            {
                var requests = Enumerable.Range(0, TasksPerWorker)
                    .SelectMany(_ => new[] { Probe(probe, WorkerRecord.DefaultName), Probe(probe, "files") })
                    .ToList();
                var queued = await client.EnqueueManyAsync(requests);
                Assert.That(queued.All(q => q.Published), Is.True);
                foreach (var task in queued)
                {
                    Assert.That((await client.WaitForCompletionAsync(task.TaskId, TimeSpan.FromSeconds(60))).State, Is.EqualTo(TaskState.Succeeded));
                }

                var tasks = await client.ListTasksAsync(new TaskQuery { Limit = 1000 });
                var nodesOf = (string worker) => tasks.Where(t => t.Worker == worker).Select(t => t.Node).ToList();
                var everythingNode = $"{Environment.MachineName}:{everything.Pid}";
                var filesNode = $"{Environment.MachineName}:{filesOnly.Pid}";

                Assert.Multiple(() =>
                {
                    Assert.That(nodesOf(WorkerRecord.DefaultName), Has.Count.EqualTo(TasksPerWorker).And.All.EqualTo(everythingNode));
                    Assert.That(nodesOf("files"), Has.Count.EqualTo(TasksPerWorker).And.All.AnyOf(everythingNode, filesNode));
                    Assert.That(nodesOf("files"), Has.Some.EqualTo(filesNode), "the files-only daemon took none of its worker's tasks");
                    Assert.That(filesOnly.Output, Does.Contain("Taking only workers files, gpu (the \"workers\" setting)"));
                    Assert.That(everything.Output, Does.Contain("Taking every worker"));
                    Assert.That(filesOnly.Output, Does.Not.Contain("Consuming carrot.default"));
                });
            }

            // Not an error at start, one warning however many polls pass, and consumed as soon as it exists.
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            var addGpu = await Sandbox.CarrotAsync("workers", "add", "gpu");
            Assert.That(addGpu.ExitCode, Is.EqualTo(0), addGpu.Output);
            await filesOnly.WaitForLogAsync("Consuming carrot.gpu for worker gpu", TimeSpan.FromSeconds(10));
            Assert.Multiple(() =>
            {
                Assert.That(Occurrences(filesOnly.Output, "Worker gpu is in the \"workers\" setting but does not exist"), Is.EqualTo(1), filesOnly.Output);
                Assert.That(filesOnly.Output, Does.Not.Contain(":guest@"), "a broker password was printed");
            });
        }
        catch
        {
            await TestContext.Out.WriteLineAsync($"--- files-only carrotd output ---{Environment.NewLine}{filesOnly.Output}");
            throw;
        }
    }

    [Test]
    public async Task ADaemonWithAnInvalidWorkerName_RefusesToStart_InOneLine()
    {
        var environment = Sandbox.Environment();
        environment["CARROT_WORKERS"] = "files,gp u";
        await using var daemon = DaemonProcess.Start(RepositoryPaths.Carrotd, environment);

        // Waits for it to exit by itself: a SIGTERM now could stop a daemon that was wrongly starting.
        for (var waited = 0; !daemon.HasExited && waited < 300; waited++)
        {
            await Task.Delay(100);
        }

        var code = await daemon.StopAsync(TimeSpan.FromSeconds(5));

        var lines = daemon.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(2), daemon.Output);
            Assert.That(lines, Has.Length.EqualTo(1), daemon.Output);
            Assert.That(daemon.Output, Does.Contain("CARROT_WORKERS is 'files,gp u'").And.Contain("'gp u' is not one"));
        });
    }

    private static EnqueueRequest Probe(string log, string worker) => new()
    {
        Kallable = "MyLib.Probe.Run",
        Args = System.Text.Json.JsonSerializer.Serialize(new object[] { log, 100 }),
        Worker = worker,
    };

    private static int Occurrences(string text, string part) =>
        text.Split(part).Length - 1;
}

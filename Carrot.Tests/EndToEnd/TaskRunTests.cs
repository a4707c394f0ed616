using Carrot.Tests.Support;

namespace Carrot.Tests.EndToEnd;

/// <summary>The whole path with the real processes: carrot enqueue → RabbitMQ → carrotd → SQLite.</summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class TaskRunTests : SandboxTest
{
    [Test]
    public async Task EnqueueWait_PrintsTheResult_AndTheRowRecordsEveryStep()
    {
        var daemon = await Sandbox.StartDaemonAsync();

        var run = await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs.Bark", "--args", """["Rex"]""", "--kwargs", """{"times": 2}""", "--wait");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
        Assert.That(run.StdOut.Trim(), Is.EqualTo("\"Rex: Woof! Woof!\""));
        var show = await Sandbox.CarrotAsync("tasks", "show", "1", "--logs", "--json");
        var task = TaskJson.Parse(show.StdOut);
        Assert.Multiple(() =>
        {
            Assert.That(TaskJson.State(task), Is.EqualTo("succeeded"));
            Assert.That(task.GetProperty("attempts").GetInt32(), Is.EqualTo(1));
            Assert.That(task.GetProperty("node").GetString(), Does.EndWith($":{daemon.Pid}"));
            Assert.That(task.GetProperty("publishedAt").ValueKind, Is.Not.EqualTo(System.Text.Json.JsonValueKind.Null));
            Assert.That(task.GetProperty("startedAt").GetDateTimeOffset(), Is.LessThanOrEqualTo(task.GetProperty("finishedAt").GetDateTimeOffset()));
            Assert.That(task.GetProperty("logs")[0].GetProperty("message").GetString(), Is.EqualTo("Rex barks 2 time(s)"));
        });
    }

    [Test]
    public async Task EnqueueWait_ExitsOne_AndRecordsTheErrorAndStackTrace_WhenTheTaskThrows()
    {
        await Sandbox.StartDaemonAsync();

        var run = await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs.Explode", "--kwargs", """{"why": "on purpose"}""", "--wait");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.Output);
        Assert.That(run.StdErr, Does.Contain("Exploded: on purpose"));
        var task = TaskJson.Parse((await Sandbox.CarrotAsync("tasks", "show", "1", "--json")).StdOut);
        Assert.Multiple(() =>
        {
            Assert.That(TaskJson.State(task), Is.EqualTo("failed"));
            Assert.That(task.GetProperty("errorType").GetString(), Is.EqualTo("System.InvalidOperationException"));
            Assert.That(task.GetProperty("stackTrace").GetString(), Does.Contain("MyLib.Jobs.Explode"));
        });
    }

    [Test]
    public async Task InstanceTask_IsBuiltThroughDependencyInjection_AndItsLoggerAndConsoleLinesAreCaptured()
    {
        await Sandbox.StartDaemonAsync();

        var greet = await Sandbox.CarrotAsync("enqueue", "MyLib.Greeter.Greet", "--args", """["Ada"]""", "--wait");
        var file = await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs.ProcessFile", "--args", """["/tmp/huge1.wav"]""", "--kwargs", """{"milliseconds": 10}""", "--wait");

        Assert.That(greet.StdOut.Trim(), Is.EqualTo("\"Hello, Ada!\""), greet.Output);
        Assert.That(file.ExitCode, Is.EqualTo(0), file.Output);
        var greetLogs = (await Sandbox.CarrotAsync("tasks", "show", "1", "--logs")).StdOut;
        var fileLogs = (await Sandbox.CarrotAsync("tasks", "show", "2", "--logs")).StdOut;
        Assert.That(greetLogs, Does.Contain("Greeting Ada"));
        Assert.That(fileLogs, Does.Contain("processing /tmp/huge1.wav at 1411 kbps"));
    }

    [Test]
    public async Task OverloadsNestedTypesAndAsyncResults_AreResolvedAndStored()
    {
        await Sandbox.StartDaemonAsync();

        var ints = await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs.Add", "--args", "[1, 2]", "--wait");
        var strings = await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs.Add", "--args", """["a", "b"]""", "--wait");
        var nested = await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs+Nested.Ping", "--wait");
        var record = await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs.ProcessFile", "--args", """["/x.wav"]""", "--kwargs", """{"milliseconds": 1, "bitrate": 320}""", "--wait");

        Assert.Multiple(() =>
        {
            Assert.That(ints.StdOut.Trim(), Is.EqualTo("3"), ints.Output);
            Assert.That(strings.StdOut.Trim(), Is.EqualTo("\"ab\""), strings.Output);
            Assert.That(nested.StdOut.Trim(), Is.EqualTo("\"pong\""), nested.Output);
            Assert.That(TaskJson.Parse(record.StdOut).GetProperty("bitrate").GetInt32(), Is.EqualTo(320), record.Output);
        });
    }

    [Test]
    public async Task FrameworkMethodWrittenStraightIntoTheDatabase_IsRefusedByTheDaemon()
    {
        var victim = Path.Combine(Sandbox.Folder, "victim.txt");
        await File.WriteAllTextAsync(victim, "still here");
        await Sandbox.CarrotAsync("workers", "list");
        await Sandbox.ExecuteAsync($"""
            INSERT INTO tasks (kallable, args, kwargs, worker, status, max_attempts, created_at, queued_at)
            VALUES ('System.IO.File.Delete', '["{victim}"]', '{"{}"}', 'default', 'queued', 3, 0, 0),
                   ('System.Diagnostics.Process.Start', '["touch", "{victim}.2"]', '{"{}"}', 'default', 'queued', 3, 0, 0)
            """);

        await Sandbox.StartDaemonAsync();
        await using var client = await Sandbox.CreateClientAsync();
        var delete = await client.WaitForCompletionAsync(1, TimeSpan.FromSeconds(20));
        var start = await client.WaitForCompletionAsync(2, TimeSpan.FromSeconds(20));

        Assert.Multiple(() =>
        {
            Assert.That(delete.State, Is.EqualTo(Carrot.Tasks.TaskState.Failed));
            Assert.That(delete.ErrorType, Is.EqualTo("Carrot.InvalidTask"));
            Assert.That(start.State, Is.EqualTo(Carrot.Tasks.TaskState.Failed));
            Assert.That(File.Exists(victim), Is.True);
            Assert.That(File.Exists(victim + ".2"), Is.False);
        });
    }

    [Test]
    public async Task Status_ShowsTheLiveDaemon_AndPerWorkerCounts()
    {
        var daemon = await Sandbox.StartDaemonAsync();
        await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs+Nested.Ping", "--wait");

        var status = await Sandbox.CarrotAsync("status", "--json");

        Assert.That(status.ExitCode, Is.EqualTo(0), status.Output);
        var json = TaskJson.Parse(status.StdOut);
        Assert.That(json.GetProperty("daemons").EnumerateArray().Select(d => d.GetProperty("pid").GetInt32()), Does.Contain(daemon.Pid));
        var worker = json.GetProperty("workers").EnumerateArray().Single(w => w.GetProperty("worker").GetString() == "default");
        Assert.That(worker.GetProperty("counts").GetProperty("succeeded").GetInt64(), Is.EqualTo(1));
        Assert.That(worker.GetProperty("queueDepth").GetInt64(), Is.EqualTo(0));
    }
}

using System.Text.Json;
using Carrot.Tests.Support;

namespace Carrot.Tests.EndToEnd;

/// <summary><c>carrot enqueue --batch FILE|-</c>: every line checked first, then all enqueued; a daemon runs them.</summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class BatchEnqueueTests : SandboxTest
{
    private const string ThreeTasks = """
        {"kallable": "MyLib.Jobs.Bark", "args": ["Rex"], "kwargs": {"times": 2}}

        {"kallable": "MyLib.Jobs.Add", "args": [2, 3], "priority": 7}
        {"kallable": "MyLib.Bench.Noop", "worker": "default"}

        """;

    [Test]
    public async Task BatchFile_PrintsOneIdPerLine_AndADaemonRunsThemAll()
    {
        var file = Path.Combine(Sandbox.Folder, "tasks.jsonl");
        await File.WriteAllTextAsync(file, ThreeTasks);

        var run = await Sandbox.CarrotAsync("enqueue", "--batch", file);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
        Assert.That(run.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[] { "1", "2", "3" }));
        Assert.That(await Sandbox.ScalarAsync<long>("SELECT priority FROM tasks WHERE id = 2"), Is.EqualTo(7));
        await Sandbox.StartDaemonAsync();
        await using var client = await Sandbox.CreateClientAsync();
        var results = new List<string?>();
        for (var id = 1; id <= 3; id++)
        {
            var done = await client.WaitForCompletionAsync(id, TimeSpan.FromSeconds(30));
            Assert.That(done.State, Is.EqualTo(Carrot.Tasks.TaskState.Succeeded), done.ErrorMessage);
            results.Add(done.Result);
        }

        Assert.That(results, Is.EqualTo(new[] { "\"Rex: Woof! Woof!\"", "5", null }));
    }

    [Test]
    public async Task BatchFromStandardInput_WithJson_PrintsAnArray()
    {
        var run = await Sandbox.CarrotWithInputAsync(ThreeTasks, "enqueue", "--batch", "-", "--json");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
        var array = JsonDocument.Parse(run.StdOut).RootElement;
        Assert.That(array.GetArrayLength(), Is.EqualTo(3));
        Assert.That(array[2].GetProperty("taskId").GetInt64(), Is.EqualTo(3));
        Assert.That(array[2].GetProperty("published").GetBoolean(), Is.True);
        Assert.That(await Sandbox.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE published_at IS NOT NULL"), Is.EqualTo(3));
    }

    [TestCase("{\"kallable\": \"MyLib.Jobs.Bark\", \"args\": [\"Rex\"]", "line 3: not valid JSON")]
    [TestCase("{\"kallable\": \"MyLib.Jobs.Bark\", \"args\": {\"name\": \"Rex\"}}", "line 3: \"args\" must be a JSON array")]
    [TestCase("{\"kallable\": \"MyLib.Jobs.Bark\", \"colour\": \"red\"}", "line 3: unknown property \"colour\"")]
    [TestCase("{\"args\": [1]}", "line 3: \"kallable\" is missing")]
    [TestCase("{\"kallable\": \"MyLib.Nope.Run\"}", "line 3: Unknown kallable 'MyLib.Nope.Run'")]
    [TestCase("{\"kallable\": \"MyLib.Jobs.Bark\", \"args\": [1]}", "line 3: Arguments do not fit")]
    [TestCase("{\"kallable\": \"MyLib.Jobs.Bark\", \"args\": [\"Rex\"], \"worker\": \"nope\"}", "line 3: There is no worker named 'nope'")]
    public async Task ABadLineThree_IsReportedByNumber_ExitsTwo_AndNothingIsEnqueued(string line3, string expected)
    {
        Assert.That((await Sandbox.CarrotAsync("workers", "list")).ExitCode, Is.Zero);
        var file = Path.Combine(Sandbox.Folder, "tasks.jsonl");
        await File.WriteAllLinesAsync(file, ["{\"kallable\": \"MyLib.Bench.Noop\"}", "", line3, "{\"kallable\": \"MyLib.Bench.Noop\"}"]);

        var run = await Sandbox.CarrotAsync("enqueue", "--batch", file);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output);
        Assert.That(run.StdErr, Does.StartWith($"carrot: {expected}"));
        Assert.That(run.StdErr.TrimEnd().Split('\n'), Has.Length.EqualTo(1), run.StdErr);
        Assert.That(run.StdOut, Is.Empty);
        Assert.That(await Sandbox.ScalarAsync<long>("SELECT count(*) FROM tasks"), Is.Zero);
    }

    [TestCase("enqueue", "MyLib.Bench.Noop", "--batch", "-")]
    [TestCase("enqueue", "--batch", "-", "--args", "[1]")]
    [TestCase("enqueue", "--batch", "-", "--wait")]
    [TestCase("enqueue")]
    public async Task BatchWithSingleTaskOptions_IsAUsageError(params string[] args)
    {
        var run = await Sandbox.CarrotWithInputAsync("{\"kallable\": \"MyLib.Bench.Noop\"}\n", args);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output);
        Assert.That(run.StdErr.TrimEnd().Split('\n'), Has.Length.EqualTo(1), run.StdErr);
    }

    [Test]
    public async Task MissingBatchFile_IsAUsageError()
    {
        var run = await Sandbox.CarrotAsync("enqueue", "--batch", Path.Combine(Sandbox.Folder, "nope.jsonl"));

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output);
        Assert.That(run.StdErr, Does.Contain("Cannot read the batch file"));
    }
}

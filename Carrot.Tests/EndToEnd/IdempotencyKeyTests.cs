using System.Text.Json;
using Carrot.Tests.Support;

namespace Carrot.Tests.EndToEnd;

/// <summary><c>carrot enqueue --key</c>: producers that retry, even several at once, get one task.</summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class IdempotencyKeyTests : SandboxTest
{
    [Test]
    public async Task ConcurrentEnqueuesWithOneKey_PrintTheSameId_AndRecordOneTask()
    {
        var migrate = await Sandbox.CarrotAsync("workers", "list");
        Assert.That(migrate.ExitCode, Is.EqualTo(0), migrate.Output);

        var runs = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Sandbox.CarrotAsync("enqueue", "MyLib.Jobs.Bark", "--args", "[\"Rex\"]", "--key", "order-1234")));

        Assert.Multiple(async () =>
        {
            Assert.That(runs.Select(r => r.ExitCode), Has.All.EqualTo(0), string.Join("\n", runs.Select(r => r.Output)));
            Assert.That(runs.Select(r => r.StdOut.Trim()).Distinct(), Is.EqualTo(new[] { "1" }));
            Assert.That(runs.Count(r => r.StdErr.Contains("Not enqueued again: task 1 already has this key", StringComparison.Ordinal)), Is.EqualTo(5));
            Assert.That(await Sandbox.ScalarAsync<long>("SELECT count(*) FROM tasks"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task ADuplicate_SaysSoInJson()
    {
        var first = await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs.Bark", "--args", "[\"Rex\"]", "--key", "k1", "--json");
        var second = await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs.Bark", "--args", "[\"Rex\"]", "--key", "k1", "--json");

        using var a = JsonDocument.Parse(first.StdOut);
        using var b = JsonDocument.Parse(second.StdOut);
        Assert.That(a.RootElement.GetProperty("duplicate").GetBoolean(), Is.False);
        Assert.That(b.RootElement.GetProperty("duplicate").GetBoolean(), Is.True);
        Assert.That(b.RootElement.GetProperty("taskId").GetInt64(), Is.EqualTo(a.RootElement.GetProperty("taskId").GetInt64()));
    }

    [Test]
    public async Task ABatch_ReturnsTheFirstTaskForAKnownKey_AndRefusesOneKeyTwice()
    {
        var first = await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs.Bark", "--args", "[\"Rex\"]", "--key", "order-1");
        Assert.That(first.ExitCode, Is.EqualTo(0), first.Output);

        var batch = await Sandbox.CarrotWithInputAsync("""
            {"kallable": "MyLib.Jobs.Bark", "args": ["A"], "key": "order-1"}
            {"kallable": "MyLib.Jobs.Bark", "args": ["B"], "key": "order-2"}
            """, "enqueue", "--batch", "-");
        var twice = await Sandbox.CarrotWithInputAsync("""
            {"kallable": "MyLib.Jobs.Bark", "args": ["C"], "key": "order-3"}
            {"kallable": "MyLib.Jobs.Bark", "args": ["D"], "key": "order-3"}
            """, "enqueue", "--batch", "-");

        Assert.That(batch.ExitCode, Is.EqualTo(0), batch.Output);
        Assert.That(batch.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[] { "1", "2" }));
        Assert.That(batch.StdErr, Does.Contain("1 of 2 line(s) had a key"));
        Assert.That(twice.ExitCode, Is.EqualTo(2), twice.Output);
        Assert.That(twice.StdErr, Does.Contain("line 2: the key 'order-3' is also the key of an earlier request"));
        Assert.That(await Sandbox.ScalarAsync<long>("SELECT count(*) FROM tasks"), Is.EqualTo(2));
    }
}

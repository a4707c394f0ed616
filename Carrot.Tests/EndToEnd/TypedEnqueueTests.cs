using Carrot.Client;
using Carrot.Tasks;
using Carrot.Tests.Support;
using MyLib;

namespace Carrot.Tests.EndToEnd;

/// <summary>Typed enqueue through CarrotClient, against a real RabbitMQ node, SQLite file and carrotd running samples/MyLib.</summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class TypedEnqueueTests : SandboxTest
{
    private const string RowColumns = "kallable, args, kwargs, worker, priority, max_attempts";

    [Test]
    public async Task TypedAndStringEnqueue_WriteTheSameRow_AndCarrotdRunsBoth()
    {
        await Sandbox.StartDaemonAsync();
        await using var client = await Sandbox.CreateClientAsync();

        var typed = await client.EnqueueAsync(() => Jobs.Bark("Rex", 2), priority: 3);
        var text = await client.EnqueueAsync("MyLib.Jobs.Bark", ["Rex", 2], priority: 3);
        var typedRow = await RowAsync(typed.TaskId);
        var textRow = await RowAsync(text.TaskId);
        var done = await client.WaitForCompletionAsync(typed.TaskId, TimeSpan.FromMinutes(1));
        var doneText = await client.WaitForCompletionAsync(text.TaskId, TimeSpan.FromMinutes(1));

        Assert.Multiple(() =>
        {
            Assert.That(typedRow, Is.EqualTo(textRow));
            Assert.That(done.State, Is.EqualTo(TaskState.Succeeded), done.ErrorMessage);
            Assert.That(done.Result, Is.EqualTo("\"Rex: Woof! Woof!\""));
            Assert.That(doneText.Result, Is.EqualTo(done.Result));
        });
    }

    [Test]
    public async Task TypedInstanceCall_RunsOnTheInstanceCarrotdCreates()
    {
        await Sandbox.StartDaemonAsync();
        await using var client = await Sandbox.CreateClientAsync();

        var queued = await client.EnqueueAsync<Greeter>(g => g.Greet("Ada", default));
        var done = await client.WaitForCompletionAsync(queued.TaskId, TimeSpan.FromMinutes(1));

        Assert.That((done.State, done.Result), Is.EqualTo((TaskState.Succeeded, "\"Hello, Ada!\"")), done.ErrorMessage);
    }

    [Test]
    public async Task TypedRequest_TakesTheOptionsOfTheRequestForm()
    {
        await using var client = await Sandbox.CreateClientAsync();

        var queued = await client.EnqueueAsync(KallableExpression.ToRequest(() => Jobs.Add(2, 3)) with { Delay = TimeSpan.FromHours(1), MaxRetries = 4 });

        var task = await client.GetTaskAsync(queued.TaskId);
        Assert.That((task!.State, task.Args, task.MaxRetries), Is.EqualTo((TaskState.Scheduled, "[2,3]", (int?)4)));
    }

    private Task<string?> RowAsync(long id) =>
        Sandbox.ScalarAsync<string>($"SELECT {string.Join(" || '|' || ", RowColumns.Split(", "))} FROM tasks WHERE id = {id}");
}

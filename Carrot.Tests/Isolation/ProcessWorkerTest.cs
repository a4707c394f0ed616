using Carrot.Client;
using Carrot.Records;
using Carrot.Tasks;
using Carrot.Tests.Support;

namespace Carrot.Tests.Isolation;

/// <summary>A sandbox whose daemon serves the isolation test libraries, with helpers to enqueue and wait.</summary>
public abstract class ProcessWorkerTest : SandboxTest
{
    internal static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    internal async Task<DaemonProcess> StartAsync(params (string Key, object Value)[] settings)
    {
        Sandbox.WriteConfig(Sandbox.BrokerUri, IsolationAssets.Settings(settings));
        return await Sandbox.StartDaemonAsync();
    }

    internal static async Task<long> EnqueueAsync(CarrotClient client, string kallable, string worker, string args = "[]", int maxRetries = 0, TimeSpan? timeout = null) =>
        (await client.EnqueueAsync(new EnqueueRequest { Kallable = kallable, Args = args, Worker = worker, MaxRetries = maxRetries, Timeout = timeout })).TaskId;

    internal static Task<TaskRecord> FinishedAsync(CarrotClient client, long id) => client.WaitForCompletionAsync(id, Wait);

    internal static async Task<TaskRecord> SucceededAsync(CarrotClient client, long id)
    {
        var task = await FinishedAsync(client, id);
        Assert.That(task.State, Is.EqualTo(TaskState.Succeeded), $"task {id} {task.Kallable}: {task.ErrorType} {task.ErrorMessage}");
        return task;
    }

    internal static async Task AddProcessWorkerAsync(CarrotClient client, string name, int concurrency) =>
        await client.AddWorkerAsync(name, concurrency, "", WorkerIsolation.Process);
}

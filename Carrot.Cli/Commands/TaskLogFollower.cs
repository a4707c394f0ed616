using System.Globalization;
using Carrot.Cli.Output;
using Carrot.Client;
using Carrot.Records;
using Carrot.Storage;
using Carrot.Storage.Monitoring;
using Carrot.Tasks;

namespace Carrot.Cli.Commands;

/// <summary>
/// <c>tasks show ID --logs --follow</c>: after the task's lines so far, prints the lines it writes as carrotd stores them
/// (every <c>liveTaskLogMs</c> while it runs, the rest with its outcome), until the task is finished.
/// </summary>
internal sealed class TaskLogFollower(CarrotClient client, TextWriter output)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    public async Task FollowAsync(long taskId, int alreadyShown, CancellationToken cancellationToken)
    {
        var store = new MonitorStore(new CarrotDatabase(client.Engine));
        var shown = alreadyShown;
        while (true)
        {
            // The state first, then the lines: a task seen finished has every line stored, so one more read gets them all.
            var task = await client.GetTaskAsync(taskId, cancellationToken);
            var lines = await store.LogsFromAsync(taskId, shown, cancellationToken);
            foreach (var line in lines)
            {
                await output.WriteLineAsync(Format(line));
            }

            shown += lines.Count;
            await output.FlushAsync(cancellationToken);
            if (task is null)
            {
                await output.WriteLineAsync($"Task {taskId} no longer exists.");
                return;
            }

            if (task.State.IsTerminal() && lines.Count == 0)
            {
                await output.WriteLineAsync($"Task {taskId} {task.State.ToName()}.");
                return;
            }

            if (lines.Count == 0)
            {
                await Task.Delay(Poll, cancellationToken);
            }
        }
    }

    private static string Format(TaskLogLine line) =>
        string.Create(CultureInfo.InvariantCulture, $"{DisplayFormat.Time(line.At)}  #{line.Attempt}  {DisplayFormat.Level(line.Level),-5}  {line.Message}");
}

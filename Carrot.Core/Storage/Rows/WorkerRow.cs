using Carrot.Client;
using Carrot.Records;

namespace Carrot.Storage.Rows;

internal sealed class WorkerRow
{
    public const string Columns = "name AS Name, concurrency AS Concurrency, description AS Description, created_at AS CreatedAt, updated_at AS UpdatedAt, paused AS Paused, isolation AS Isolation, runner_max_tasks AS RunnerMaxTasks, runner_max_memory_mib AS RunnerMaxMemoryMiB";

    public string Name { get; set; } = "";
    public long Concurrency { get; set; }
    public string Description { get; set; } = "";
    public long CreatedAt { get; set; }
    public long UpdatedAt { get; set; }
    public long Paused { get; set; }
    public string Isolation { get; set; } = "";
    public long? RunnerMaxTasks { get; set; }
    public long? RunnerMaxMemoryMiB { get; set; }

    public WorkerRecord ToRecord() => new(Name, (int)Concurrency, Description, UnixTime.FromMs(CreatedAt), UnixTime.FromMs(UpdatedAt), Paused != 0)
    {
        Isolation = WorkerIsolationNames.Parse(Isolation),
        RunnerMaxTasks = (int?)RunnerMaxTasks,
        RunnerMaxMemoryMiB = (int?)RunnerMaxMemoryMiB,
    };
}

using Carrot.Records;

namespace Carrot.Storage;

/// <summary>What one firing did: the tasks enqueued (to publish), and the schedules paused because their worker is gone.</summary>
internal sealed record FiredSchedules(IReadOnlyList<UnpublishedTask> Tasks, IReadOnlyList<ScheduleRecord> PausedWithoutWorker);

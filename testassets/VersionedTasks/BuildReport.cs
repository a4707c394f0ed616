namespace VersionedTasks;

/// <summary>A result of a type from the task library itself, as real tasks return: JSON metadata gets cached for it.</summary>
public sealed record BuildReport(string Build, DateTimeOffset At);

namespace VersionedTasks;

/// <summary>Tasks that tell which build of this library ran them.</summary>
public static class Tasks
{
#if TASK_V2
    private const string Build = "2";
#else
    private const string Build = "1";
#endif

    public static string Version() => Build;

    public static BuildReport Report() => new(Build, DateTimeOffset.UnixEpoch);

    /// <summary>Runs for a while, then says which build it started on.</summary>
    public static async Task<string> Slow(int milliseconds, CancellationToken cancellationToken)
    {
        await Task.Delay(milliseconds, cancellationToken);
        return Build;
    }

#if TASK_V2
    /// <summary>Exists only in version 2: a kallable that a reload adds.</summary>
    public static string Added() => "added in " + Build;
#endif
}

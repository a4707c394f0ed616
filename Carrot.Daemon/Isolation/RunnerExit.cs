namespace Carrot.Daemon.Isolation;

/// <summary>How a runner process ended, said the way an operator reads it: an exit code, or the signal that killed it.</summary>
internal static class RunnerExit
{
    public const string CrashedType = "Carrot.RunnerCrashed";

    /// <summary>.NET reports a process killed by signal N as exit code 128 + N.</summary>
    public static string Describe(int exitCode) => exitCode switch
    {
        > 128 and <= 128 + 64 => $"was killed by signal {exitCode - 128}{SignalName(exitCode - 128)} (exit code {exitCode})",
        _ => $"exited with code {exitCode}",
    };

    private static string SignalName(int signal) => signal switch
    {
        6 => " (SIGABRT: Environment.FailFast, a stack overflow or another fatal runtime error)",
        9 => " (SIGKILL: killed from outside, e.g. by the kernel's out-of-memory killer)",
        11 => " (SIGSEGV)",
        15 => " (SIGTERM)",
        _ => "",
    };
}

using System.Runtime.InteropServices;

namespace Carrot.Daemon.Maintenance;

/// <summary>
/// Whether a process on this host is certainly gone. /proc alone cannot tell: a carrotd of another user is hidden
/// from a service that runs with ProtectProc=invisible, and an unreadable /proc entry is not a dead process. kill(pid, 0)
/// can: ESRCH means no such process; EPERM means it exists but belongs to someone else.
/// </summary>
internal static partial class ProcessLiveness
{
    private const int NoSuchProcess = 3; // ESRCH

    /// <summary>True only when no carrotd can be running at <paramref name="pid"/>; anything uncertain counts as alive.</summary>
    public static bool IsCertainlyGone(int pid)
    {
        if (Kill(pid, 0) != 0)
        {
            return Marshal.GetLastPInvokeError() == NoSuchProcess;
        }

        // It exists and we may signal it: a pid can be reused, so it is the old daemon only if it is a carrotd.
        try
        {
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline");
            return commandLine.Length > 0 && !commandLine.Contains("carrotd", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}

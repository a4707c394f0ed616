namespace Carrot.Tests.Support;

/// <summary>How a finished child process ended and what it printed.</summary>
internal sealed record ProcessResult(int ExitCode, string StdOut, string StdErr)
{
    /// <summary>Standard output then standard error, for assertion and failure messages.</summary>
    public string Output => string.IsNullOrEmpty(StdErr) ? StdOut : StdOut + StdErr;
}

using System.Diagnostics;

namespace Carrot.Soak;

/// <summary>carrotd, appending its output to one log across restarts.</summary>
internal sealed class SoakDaemon(string executable, string logPath)
{
    private Process? _process;

    public void Start()
    {
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var info = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
    }

    public void EnsureRunning()
    {
        if (_process is null || _process.HasExited)
        {
            Start();
        }
    }

    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            using var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await process.WaitForExitAsync();
        }
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.WriteLine(line);
            }
        }
    }
}

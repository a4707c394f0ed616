using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Carrot.Tests.Support;

/// <summary>A running carrotd, with its output kept for assertions and for the report of a failed test.</summary>
internal sealed partial class DaemonProcess : IAsyncDisposable
{
    public const int SigHup = 1;
    public const int SigStop = 19;
    public const int SigCont = 18;
    private const int SigTerm = 15;
    private const int SigKill = 9;

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DaemonProcess(Process process)
    {
        _process = process;
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    public static DaemonProcess Start(string executable, IDictionary<string, string?> environment, params string[] args)
    {
        var info = new ProcessStartInfo(executable, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var daemon = new DaemonProcess(process);
        process.OutputDataReceived += (_, e) => daemon.Append(e.Data);
        process.ErrorDataReceived += (_, e) => daemon.Append(e.Data);
        process.Exited += (_, _) => daemon.Append(null);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return daemon;
    }

    /// <summary>Waits until a line containing <paramref name="text"/> was printed (<paramref name="times"/> times).</summary>
    public async Task WaitForLogAsync(string text, TimeSpan timeout, int times = 1)
    {
        using var limit = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (Occurrences(_output.ToString(), text) >= times)
                {
                    return;
                }

                changed = _changed.Task;
            }

            if (_process.HasExited && !changed.IsCompleted)
            {
                throw new InvalidOperationException($"carrotd exited ({_process.ExitCode}) before printing '{text}'. Output:\n{Output}");
            }

            try
            {
                await changed.WaitAsync(TimeSpan.FromMilliseconds(500), limit.Token);
            }
            catch (TimeoutException)
            {
                // Re-check the exit state.
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"carrotd did not print '{text}' within {timeout.TotalSeconds} s. Output:\n{Output}");
            }
        }
    }

    /// <summary>SIGTERM, as systemd stops the service; returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, SigTerm);
        }

        using var limit = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(limit.Token);
        return _process.ExitCode;
    }

    /// <summary>Sends a signal, e.g. SIGSTOP to freeze the daemon as a wedged process would be.</summary>
    public void Signal(int signal) => _ = Kill(_process.Id, signal);

    /// <summary>SIGKILL: a crash, as far as the daemon can tell.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, SigKill);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Signal(SigCont);
            try
            {
                await StopAsync(TimeSpan.FromSeconds(20));
            }
            catch (OperationCanceledException)
            {
                await KillAsync();
            }
        }

        _process.Dispose();
    }

    private static int Occurrences(string output, string text)
    {
        var count = 0;
        for (var at = output.IndexOf(text, StringComparison.Ordinal); at >= 0; at = output.IndexOf(text, at + text.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private void Append(string? line)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            if (line is not null)
            {
                _output.AppendLine(line);
            }

            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}

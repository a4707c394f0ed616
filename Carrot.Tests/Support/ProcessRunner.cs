using System.Diagnostics;
using System.Text;

namespace Carrot.Tests.Support;

/// <summary>Runs a command to completion and captures its output.</summary>
internal static class ProcessRunner
{
    /// <summary>How long to keep reading output after the process exited (a grandchild may still hold the pipe).</summary>
    private static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Starts <paramref name="fileName"/> with <paramref name="args"/> (no shell involved), closes its standard
    /// input (after writing <paramref name="stdin"/> to it, when given) and waits for it to exit. Entries of <paramref name="env"/> are added to the inherited environment;
    /// a <see langword="null"/> value removes the variable. On timeout the whole process tree is killed and a
    /// <see cref="TimeoutException"/> naming the command is thrown; on cancellation the tree is killed too.
    /// </summary>
    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> args,
        IDictionary<string, string?>? env = null,
        TimeSpan? timeout = null,
        string? stdin = null,
        CancellationToken ct = default)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        if (env is not null)
        {
            foreach (var (key, value) in env)
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
        }

        var command = Describe(fileName, info.ArgumentList);
        var limit = timeout ?? DefaultTimeout;
        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"Could not start {command}: {e.Message}", e);
        }

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var drain = new CancellationTokenSource();
        var readOut = PumpAsync(process.StandardOutput, stdout, drain.Token);
        var readErr = PumpAsync(process.StandardError, stderr, drain.Token);

        // Written after the readers started: a process that answers while reading would otherwise block both sides.
        try
        {
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // It stopped reading (e.g. refused the input early); what it printed says why.
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(limit);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            KillTree(process);
            await FinishReadingAsync(readOut, readErr, drain);
            ct.ThrowIfCancellationRequested();
            throw new TimeoutException(
                $"{command} did not finish within {limit.TotalSeconds:0.#} s and was killed.{Tail("stdout", stdout)}{Tail("stderr", stderr)}");
        }

        await FinishReadingAsync(readOut, readErr, drain);
        return new ProcessResult(process.ExitCode, Snapshot(stdout), Snapshot(stderr));
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder into, CancellationToken ct)
    {
        var buffer = new char[4096];
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(buffer.AsMemory(), ct);
                if (read == 0)
                {
                    return;
                }

                lock (into)
                {
                    into.Append(buffer, 0, read);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Gave up waiting for end of stream: keep what was read.
        }
        catch (ObjectDisposedException)
        {
            // The process object went away first: keep what was read.
        }
        catch (IOException)
        {
            // Broken pipe: keep what was read.
        }
    }

    /// <summary>Waits for both streams to reach their end, for a few seconds at most.</summary>
    private static async Task FinishReadingAsync(Task readOut, Task readErr, CancellationTokenSource drain)
    {
        var both = Task.WhenAll(readOut, readErr);
        if (await Task.WhenAny(both, Task.Delay(DrainGrace)) != both)
        {
            await drain.CancelAsync();
            await both;
        }
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Exiting right now, or not ours to kill.
        }
    }

    private static string Snapshot(StringBuilder builder)
    {
        lock (builder)
        {
            return builder.ToString();
        }
    }

    private static string Tail(string name, StringBuilder builder)
    {
        var text = Snapshot(builder).TrimEnd();
        if (text.Length == 0)
        {
            return string.Empty;
        }

        const int max = 4000;
        if (text.Length > max)
        {
            text = "..." + text[^max..];
        }

        return $"{Environment.NewLine}--- {name} ---{Environment.NewLine}{text}";
    }

    private static string Describe(string fileName, IEnumerable<string> args) =>
        string.Join(' ', new[] { fileName }.Concat(args).Select(a => a.Length == 0 || a.Contains(' ', StringComparison.Ordinal) ? $"'{a}'" : a));
}

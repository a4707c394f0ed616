using System.Diagnostics;

namespace Carrot.Bench.Infrastructure;

/// <summary>
/// carrotd as a process, its output going straight to a file (through sh's redirection, so the bench spends no
/// CPU reading the daemon's log on a 2-core machine).
/// </summary>
internal sealed class DaemonRunner : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _log;

    private DaemonRunner(Process process, string log)
    {
        _process = process;
        _log = log;
    }

    public int Pid => _process.Id;

    public Stopwatch SinceStart { get; } = Stopwatch.StartNew();

    public static async Task<DaemonRunner> StartAsync(string carrotd, IDictionary<string, string?> env, string log, string worker, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var arg in new[] { "-c", "exec \"$0\" >\"$1\" 2>&1", carrotd, log })
        {
            info.ArgumentList.Add(arg);
        }

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

        var runner = new DaemonRunner(Process.Start(info) ?? throw new InvalidOperationException("Could not start carrotd."), log);
        await runner.WaitForLogAsync($"Consuming carrot.{worker} ", TimeSpan.FromSeconds(60), cancellationToken);
        return runner;
    }

    public async Task WaitForLogAsync(string text, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (File.Exists(_log) && (await ReadLogAsync(cancellationToken)).Contains(text, StringComparison.Ordinal))
            {
                return;
            }

            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"carrotd did not print '{text}'. Log:\n{await ReadLogAsync(cancellationToken)}");
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    public double ResidentMiB() => ProcessTools.ResidentMiB(_process.Id);

    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            ProcessTools.Signal(_process.Id, ProcessTools.SigTerm);
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await _process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    private async Task<string> ReadLogAsync(CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(_log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(cancellationToken);
    }
}

using System.Diagnostics;
using System.Globalization;
using Carrot.Daemon.Logging;
using Carrot.Kallables;
using Carrot.Kallables.RunnerProtocol;
using Carrot.Logging;
using Carrot.Storage;

namespace Carrot.Daemon.Isolation;

/// <summary>
/// One carrot-runner child: its pipes, the task it runs (one at a time), and how it ended. A reader loop turns the
/// runner's frames into log lines of the running task's buffer (as they are written) and into its reply; when the
/// pipe closes, the process's exit code and the last lines of its stderr become the reply of whatever task was running.
/// </summary>
internal sealed class RunnerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Stream _input;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly TaskCompletionSource<int> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly RunnerStandardError _standardError;
    private readonly Lock _gate = new();
    private Running? _current;

    private readonly RunnerJournal _journal;

    private RunnerProcess(Process process, KallableCatalog catalog, RunnerJournal journal)
    {
        _process = process;
        _journal = journal;
        _standardError = new RunnerStandardError(journal);
        _input = process.StandardInput.BaseStream;
        Catalog = catalog;
        Pid = process.Id;
    }

    /// <summary>The catalogue it was started for: after a reload, new tasks go to runners of the new one.</summary>
    public KallableCatalog Catalog { get; }

    public int Pid { get; }

    public int TasksRun { get; private set; }

    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>Starts a runner for <paramref name="catalog"/>'s assemblies and waits until it has loaded them.</summary>
    public static async Task<RunnerProcess> StartAsync(
        string executable, KallableCatalog catalog, int maxResultChars, IReadOnlyList<string> traceSources, RunnerJournal journal, TimeSpan startTimeout)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var path in catalog.AssemblyPaths)
        {
            start.ArgumentList.Add("--assembly");
            start.ArgumentList.Add(path);
        }

        start.ArgumentList.Add("--max-result-chars");
        start.ArgumentList.Add(maxResultChars.ToString(CultureInfo.InvariantCulture));
        foreach (var source in traceSources)
        {
            start.ArgumentList.Add("--trace-source");
            start.ArgumentList.Add(source);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start.");
        var runner = new RunnerProcess(process, catalog, journal);
        process.ErrorDataReceived += (_, line) => runner._standardError.Keep(runner.Pid, line.Data);
        process.BeginErrorReadLine();
        _ = runner.ReadAsync();
        try
        {
            await runner._ready.Task.WaitAsync(startTimeout);
            return runner;
        }
        catch
        {
            runner.Kill();
            throw;
        }
    }

    /// <summary>
    /// Sends the task and waits for its reply or the runner's death. Log lines go to <paramref name="buffer"/> as they
    /// come, stamped with carrotd's ids of the span they were written in; the spans its code makes are mirrored by
    /// <paramref name="spans"/> as they start and stop.
    /// </summary>
    public async Task<RunnerReply> RunAsync(ClaimedTask claim, TaskLogBuffer buffer, AttemptSpans spans)
    {
        var running = new Running(buffer, claim, spans);
        lock (_gate)
        {
            _current = running;
        }

        TasksRun++;
        try
        {
            await SendAsync(new RunnerFrame(RunnerFrame.RunKind)
            {
                TaskId = claim.Id, Attempt = claim.Attempt, Worker = claim.Worker, Kallable = claim.Kallable, Args = claim.Args, Kwargs = claim.Kwargs,
                TraceParent = spans.ProcessTraceParent,
            });
        }
        catch (IOException)
        {
            // The runner died before it read the task; the reader reports how.
        }

        if (HasExited)
        {
            running.Reply.TrySetResult(Died());
        }

        var reply = await running.Reply.Task;
        lock (_gate)
        {
            _current = null;
        }

        return reply with { SpansDropped = spans.Dropped };
    }

    /// <summary>Fires the running task's token inside the runner; a runner already gone has nothing to cancel.</summary>
    public async Task CancelAsync()
    {
        try
        {
            await SendAsync(new RunnerFrame(RunnerFrame.CancelKind));
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // Its death is reported by the reader.
        }
    }

    /// <summary>The hard stop: the whole process, at once. The reply of a running task becomes its death.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public Task WaitForExitAsync() => _exited.Task;

    /// <summary>Resident memory (VmRSS) now, from /proc; null once it is gone.</summary>
    public long? ResidentBytes()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var kib = line["VmRSS:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kib, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            // Gone, or not readable: no figure.
        }

        return null;
    }

    /// <summary>Ends the runner gently: its input closes, it finishes and exits; killed if it has not within 5 s.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            _input.Close();
        }
        catch (IOException)
        {
            // Its end of the pipe is gone already.
        }

        try
        {
            await _exited.Task.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            Kill();
            await _exited.Task;
        }

        _process.Dispose();
        _writeGate.Dispose();
    }

    private async Task SendAsync(RunnerFrame frame)
    {
        var bytes = RunnerFrames.Encode(frame);
        await _writeGate.WaitAsync();
        try
        {
            await _input.WriteAsync(bytes);
            await _input.FlushAsync();
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private async Task ReadAsync()
    {
        // Started inside the first task's flow: that task's process span is no parent of anything read here.
        Activity.Current = null;
        try
        {
            var output = _process.StandardOutput.BaseStream;
            while (await RunnerFrames.ReadAsync(output, CancellationToken.None) is { } frame)
            {
                Handle(frame);
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or System.Text.Json.JsonException)
        {
            _standardError.Keep(Pid, $"carrotd: the runner's output could not be read: {e.Message}");
            Kill();
        }

        await _process.WaitForExitAsync();
        var died = Died();
        _ready.TrySetException(new InvalidOperationException($"{RunnerExecutable.FileName} (pid {Pid}) {RunnerExit.Describe(died.ExitCode!.Value)} before it was ready.{Quote(died.StandardError)}"));
        Running? dying;
        lock (_gate)
        {
            dying = _current;
        }

        if (dying is not null)
        {
            _journal.EndTask(dying.Claim, Pid);
            dying.Spans.End();
            dying.Reply.TrySetResult(died);
        }

        _exited.TrySetResult();
    }

    private void Handle(RunnerFrame frame)
    {
        Running? current;
        lock (_gate)
        {
            current = _current;
        }

        switch (frame.Kind)
        {
            case RunnerFrame.Ready:
                _ready.TrySetResult(frame.Pid ?? Pid);
                break;
            case RunnerFrame.TextKind when current is not null:
                current.Buffer.AppendText(Level(frame.Level), frame.Text, current.Spans.TraceOf(frame.TraceId, frame.SpanId));
                _journal.Text(current.Claim, Pid, Level(frame.Level), frame.Text);
                break;
            case RunnerFrame.LogKind when current is not null:
                current.Buffer.Add(Level(frame.Level), frame.Text ?? "", current.Spans.TraceOf(frame.TraceId, frame.SpanId));
                _journal.Line(current.Claim, Pid, Level(frame.Level), frame.Text);
                break;
            case RunnerFrame.SpanStartKind when current is not null:
                current.Spans.Start(frame.Span);
                break;
            case RunnerFrame.SpanKind when current is not null:
                current.Spans.Stop(frame.Span);
                break;
            case RunnerFrame.BrokenKind when !_ready.Task.IsCompleted:
                _ready.TrySetException(new InvalidOperationException($"{RunnerExecutable.FileName} (pid {Pid}) cannot serve: {frame.Text}"));
                break;
            case RunnerFrame.TextKind or RunnerFrame.LogKind or RunnerFrame.SpanStartKind or RunnerFrame.SpanKind:
                // Between tasks (a timer of the task code's, say): no attempt to go to.
                break;
            default:
                if (current is not null)
                {
                    _journal.EndTask(current.Claim, Pid);
                    current.Spans.End();
                    current.Reply.TrySetResult(new RunnerReply(frame));
                }

                break;
        }
    }

    private RunnerReply Died() => new(null, _process.HasExited ? _process.ExitCode : null, _standardError.Text());

    public static string Quote(string? standardError) => string.IsNullOrWhiteSpace(standardError) ? "" : $" Its last output on stderr:\n{standardError}";

    private static TaskLogLevel Level(string? name) => Enum.TryParse<TaskLogLevel>(name, out var level) ? level : TaskLogLevel.Information;

    private sealed record Running(TaskLogBuffer Buffer, ClaimedTask Claim, AttemptSpans Spans)
    {
        public TaskCompletionSource<RunnerReply> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

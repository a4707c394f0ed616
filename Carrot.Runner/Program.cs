using Carrot.Errors;
using Carrot.Kallables;
using Carrot.Kallables.RunnerProtocol;
using Carrot.Logging;
using Carrot.Runner;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// carrot-runner --assembly PATH [--assembly PATH ...] [--max-result-chars N] [--trace-source NAME ...]
// Started by carrotd for a process-isolated worker; speaks frames on stdin/stdout, so nothing else may write to
// stdout: the console is redirected into the task's log before any task code runs. stderr stays the real one, where
// the runtime itself writes when the process dies (FailFast, a stack overflow), for carrotd to quote.
var protocolIn = Console.OpenStandardInput();
var channel = new FrameChannel(Console.OpenStandardOutput());
Console.SetOut(new FrameTextWriter(channel, TaskLogLevel.Information));
var realError = Console.Error;
Console.SetError(new FrameTextWriter(channel, TaskLogLevel.Error));

var assemblies = new List<string>();
var maxResultChars = ReturnValues.DefaultMaxResultChars;
var traceSources = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--assembly" when i + 1 < args.Length:
            assemblies.Add(args[++i]);
            break;
        case "--trace-source" when i + 1 < args.Length:
            traceSources.Add(args[++i]);
            break;
        case "--max-result-chars" when i + 1 < args.Length && int.TryParse(args[i + 1], out var chars) && chars > 0:
            maxResultChars = chars;
            i++;
            break;
        default:
            await realError.WriteLineAsync($"carrot-runner: unknown argument '{args[i]}'. carrotd starts this program: carrot-runner --assembly PATH [--assembly PATH ...] [--max-result-chars N] [--trace-source NAME ...].");
            return 2;
    }
}

KallableCatalog catalog;
try
{
    catalog = KallableCatalog.Load(assemblies);
}
catch (CarrotConfigurationException e)
{
    channel.Send(new RunnerFrame(RunnerFrame.BrokenKind) { Text = e.Message });
    return 3;
}

var taskLog = new FrameTaskLog(channel);
await using var services = new ServiceCollection()
    .AddLogging(logging => logging.ClearProviders().SetMinimumLevel(LogLevel.Debug).AddProvider(new FrameLoggerProvider(taskLog)))
    .BuildServiceProvider();

using var tracing = new RunnerTracing(channel, new TracedSources(traceSources));
channel.Send(new RunnerFrame(RunnerFrame.Ready) { Pid = Environment.ProcessId });
using var loop = new RunnerLoop(catalog, services, channel, maxResultChars);
await loop.RunAsync(protocolIn);
return 0;

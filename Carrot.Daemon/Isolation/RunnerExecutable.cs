using Carrot.Configuration;
using Carrot.Errors;

namespace Carrot.Daemon.Isolation;

/// <summary>Where carrot-runner is: <c>runnerPath</c> when set, else beside carrotd (as the package and scripts/test.sh install it).</summary>
internal static class RunnerExecutable
{
    public const string FileName = "carrot-runner";

    public static string Find(CarrotOptions options)
    {
        var path = string.IsNullOrWhiteSpace(options.RunnerPath) ? Path.Combine(AppContext.BaseDirectory, FileName) : Path.GetFullPath(options.RunnerPath);
        return File.Exists(path)
            ? path
            : throw new CarrotConfigurationException($"{FileName} was not found at {path}, so a worker with isolation 'process' cannot run tasks. Install it beside carrotd (the package does), set \"runnerPath\", or switch the worker back with 'carrot workers update NAME --isolation inprocess'.");
    }
}

using Carrot.Errors;
using Carrot.Records;

namespace Carrot.Client;

/// <summary>The names of <see cref="WorkerIsolation"/> in the database, on the command line and in JSON: <c>inprocess</c>, <c>process</c>.</summary>
internal static class WorkerIsolationNames
{
    public const string InProcess = "inprocess";
    public const string Process = "process";

    /// <summary>What a new worker gets when it names none (see README, "Isolation": chosen from the bench's figures).</summary>
    public const WorkerIsolation Default = WorkerIsolation.InProcess;

    public static string ToName(this WorkerIsolation isolation) => isolation == WorkerIsolation.Process ? Process : InProcess;

    /// <summary>A name given by a user; anything else is one clear line.</summary>
    public static WorkerIsolation ParseInput(string text) => text.Trim().ToLowerInvariant() switch
    {
        InProcess or "in-process" => WorkerIsolation.InProcess,
        Process => WorkerIsolation.Process,
        _ => throw new CarrotInputException($"'{InputEcho.Shorten(text)}' is not an isolation: use 'process' (task code in runner processes of the worker's own) or 'inprocess' (inside carrotd)."),
    };

    /// <summary>A name read from the database, where a CHECK constraint allows only the two.</summary>
    public static WorkerIsolation Parse(string stored) => stored == Process ? WorkerIsolation.Process : WorkerIsolation.InProcess;
}

using System.Text.RegularExpressions;
using Carrot.Errors;

namespace Carrot.Client;

/// <summary>What a worker name and concurrency may be. Names become queue names and routing keys.</summary>
internal static partial class WorkerRules
{
    public const int MaxConcurrency = 1000;

    public static void Check(string name, int? concurrency)
    {
        if (!IsValidName(name))
        {
            throw new CarrotInputException($"'{InputEcho.Shorten(name)}' is not a valid worker name: use 1-64 letters, digits, '-', '_' or '.', starting with a letter or digit.");
        }

        if (concurrency is < 1 or > MaxConcurrency)
        {
            throw new CarrotInputException($"Concurrency {concurrency} is out of range: a worker runs 1 to {MaxConcurrency} tasks at once.");
        }
    }

    /// <summary>Worker and schedule names: they end up in queue names, routing keys and shell commands.</summary>
    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\z")]
    private static partial Regex NamePattern();
}

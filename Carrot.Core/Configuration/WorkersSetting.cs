using Carrot.Client;
using Carrot.Errors;
using Microsoft.Extensions.Configuration;

namespace Carrot.Configuration;

/// <summary>
/// The daemon's <c>workers</c> setting (and <c>CARROT_WORKERS</c>): which workers' queues it consumes. Names are
/// checked by the rule every worker name obeys; whether they exist is the daemon's business, since a worker may be
/// added after the daemon started.
/// </summary>
internal static class WorkersSetting
{
    public const string Key = "workers";

    private const string Rule = "1-64 letters, digits, '-', '_' or '.', starting with a letter or digit";

    /// <summary>
    /// What the binder cannot tell: a plain string (<c>"workers": "files"</c>) binds to nothing, and an empty list to
    /// nothing either; left so, the daemon would quietly take every worker. Both become values the validator refuses.
    /// </summary>
    public static void ReadShape(IConfiguration configuration, CarrotOptions options, string? where)
    {
        var present = configuration.AsEnumerable().FirstOrDefault(e => string.Equals(e.Key, Key, StringComparison.OrdinalIgnoreCase));
        if (present.Key is null || options.Workers is { Count: > 0 })
        {
            return;
        }

        if (!string.IsNullOrEmpty(present.Value))
        {
            throw new CarrotConfigurationException(
                $"\"{Key}\" is '{InputEcho.Shorten(present.Value)}' in {where}; it must be a list of worker names, e.g. [\"default\", \"files\"]. Fix the setting, or leave it out for every worker.");
        }

        options.Workers = [];
    }

    /// <summary>The variable's value: names separated by commas, spaces around them ignored.</summary>
    public static IList<string> FromVariable(string value)
    {
        var names = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        if (Problem(names) is { } problem)
        {
            throw new CarrotConfigurationException(
                $"{CarrotConfiguration.WorkersVariable} is '{InputEcho.Shorten(value)}'; it must be {problem}, separated by commas. Fix the variable, or unset it for every worker.");
        }

        return names;
    }

    /// <summary>Null when <paramref name="names"/> is acceptable (null means every worker), else what it must be.</summary>
    public static string? Problem(IList<string>? names)
    {
        if (names is null)
        {
            return null;
        }

        if (names.Count == 0)
        {
            return "a list of at least one worker name (left out, the daemon takes every worker)";
        }

        var bad = names.FirstOrDefault(n => !WorkerRules.IsValidName(n));
        return bad is null ? null : $"a list of worker names ({Rule}), and '{InputEcho.Shorten(bad)}' is not one";
    }

    /// <summary>The list as it would be written in carrot.json, shortened, for messages.</summary>
    public static string Describe(IList<string> names) =>
        InputEcho.Shorten("[" + string.Join(", ", names.Select(n => $"\"{n}\"")) + "]");
}

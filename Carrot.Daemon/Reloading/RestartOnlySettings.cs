using System.Collections;
using Carrot.Configuration;

namespace Carrot.Daemon.Reloading;

/// <summary>
/// Which settings changed that a reload does not apply: everything but <c>taskAssemblies</c> (the database, the
/// broker, timings) is read once at start. Compared by property, so a setting added later is covered too.
/// Only names are reported, never values: the broker URI holds a password.
/// </summary>
internal static class RestartOnlySettings
{
    private static readonly string[] Reloadable = [nameof(CarrotOptions.TaskAssemblies), nameof(CarrotOptions.Source)];

    public static IEnumerable<string> Changed(CarrotOptions before, CarrotOptions after) =>
        typeof(CarrotOptions).GetProperties()
            .Where(p => p.CanRead && !Reloadable.Contains(p.Name))
            .Where(p => !SameValue(p.GetValue(before), p.GetValue(after)))
            .Select(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..]);

    private static bool SameValue(object? a, object? b) =>
        a is IEnumerable x and not string && b is IEnumerable y and not string
            ? x.Cast<object?>().SequenceEqual(y.Cast<object?>())
            : Equals(a, b);
}

using System.Collections;
using Carrot.Configuration;

namespace Carrot.Daemon.Reloading;

/// <summary>
/// Which settings changed that a reload does not apply: everything but <c>taskAssemblies</c> (the database, the
/// broker, timings) is read once at start. Compared by property (a group of settings by its own properties), so a
/// setting added later is covered too.
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

    // A group of settings ("metrics", "otlp") is compared by its own properties, so an unchanged group is not reported.
    private static bool SameValue(object? a, object? b)
    {
        if (a is null || b is null || a is string || a.GetType() != b.GetType())
        {
            return Equals(a, b);
        }

        if (a is IEnumerable x && b is IEnumerable y)
        {
            var left = x.Cast<object?>().ToList();
            var right = y.Cast<object?>().ToList();
            return left.Count == right.Count && left.Zip(right).All(pair => SameValue(pair.First, pair.Second));
        }

        return a.GetType() is { IsClass: true } type && type.Namespace == typeof(CarrotOptions).Namespace
            ? type.GetProperties().Where(p => p.CanRead && p.GetIndexParameters().Length == 0).All(p => SameValue(p.GetValue(a), p.GetValue(b)))
            : Equals(a, b);
    }
}

using System.Collections.Frozen;

namespace Carrot.Tests.Support;

/// <summary>
/// The database that simulated hosts share, handed to each as its <c>database</c> setting: a PostgreSQL database on the
/// run's private server (what several hosts really share), and an SQLite file (three PID namespaces on one machine
/// may share one: its locks hold within one kernel). Every multi-host fixture runs once per entry of <see cref="Settings"/>.
/// </summary>
internal sealed record SharedStore(string Engine, string DatabaseSetting)
{
    private static readonly FrozenDictionary<string, Func<string, Task<string>>> Settings = new Dictionary<string, Func<string, Task<string>>>
    {
        ["sqlite"] = folder => Task.FromResult(Path.Combine(folder, "shared.db")),
        ["postgresql"] = _ => SharedPostgres.CreateDatabaseAsync(migrated: false),
    }.ToFrozenDictionary();

    /// <summary>The engines the multi-host fixtures run on (their <c>TestFixtureSource</c>).</summary>
    public static IEnumerable<string> Engines => Settings.Keys;

    /// <summary>A fresh, empty store of <paramref name="engine"/> for one test, in or named after <paramref name="folder"/>.</summary>
    public static async Task<SharedStore> CreateAsync(string engine, string folder) =>
        Settings.TryGetValue(engine, out var create)
            ? new SharedStore(engine, await create(folder))
            : throw new ArgumentException($"No shared store engine '{engine}'; known: {string.Join(", ", Engines)}.", nameof(engine));

    public override string ToString() => Engine;
}

using Carrot.Configuration;
using NUnit.Framework;

namespace Carrot.Tests.Unit.Configuration;

/// <summary>Configuration read as carrot and carrotd read it: a file in a fresh folder, and CARROT_* variables the test sets.</summary>
public abstract class ConfigurationTestBase
{
    protected string Folder { get; private set; } = "";

    /// <summary>The environment the configuration sees (nothing of the test process's own).</summary>
    protected Dictionary<string, string> Variables { get; private set; } = null!;

    [SetUp]
    public void CreateFolder()
    {
        Folder = TempFolder.Create();
        Variables = new Dictionary<string, string>(StringComparer.Ordinal);
    }

    [TearDown]
    public void DeleteFolder() => TempFolder.Delete(Folder);

    internal CarrotOptions Load(string? path) => CarrotConfiguration.Load(path, name => Variables.GetValueOrDefault(name));

    /// <summary>Writes <paramref name="json"/> as a configuration file and reads it.</summary>
    internal CarrotOptions LoadJson(string json) => Load(WriteConfig(json));

    protected string InFolder(string name) => Path.Combine(Folder, name);

    protected string WriteConfig(string json, string name = "carrot.json")
    {
        var path = InFolder(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, json);
        return path;
    }
}

namespace Carrot.Tests.Unit;

/// <summary>A fresh, empty folder under the system temp folder, deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = Create();
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>For fixtures that create the folder in SetUp and delete it in TearDown.</summary>
    public static string Create() => Directory.CreateTempSubdirectory("carrot-tests-").FullName;

    public static void Delete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone.
        }
    }

    public void Dispose() => Delete(Path);
}

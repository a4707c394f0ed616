namespace Carrot.Diagnostics;

/// <summary>Unix permission bits, as far as the doctor needs them (Windows has none: nothing is reported there).</summary>
internal static class FileModes
{
    public static bool IsWorldReadable(string path) => Has(path, UnixFileMode.OtherRead);

    /// <summary>Other users may pass through this folder to files they can read.</summary>
    public static bool IsWorldSearchable(string folder) => Has(folder, UnixFileMode.OtherExecute);

    /// <summary>The mode as ls and chmod write it, e.g. 0640.</summary>
    public static string Octal(string path) => OperatingSystem.IsWindows() ? "?" : "0" + Convert.ToString((int)File.GetUnixFileMode(path), 8);

    private static bool Has(string path, UnixFileMode bits) => !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & bits) != 0;
}

namespace MyLib;

/// <summary>
/// Appends one whole line to a file that runs in this and other processes (and hosts: flock holds across PID
/// namespaces) append to at once: an exclusive open keeps lines whole. The retries outlast a writer frozen for a while
/// between its open and its close.
/// </summary>
internal static class ExecutionLog
{
    public static async Task AppendLineAsync(string path, string line)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(line + "\n");
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.None);
                await stream.WriteAsync(bytes);
                return;
            }
            catch (IOException) when (attempt < 12_000)
            {
                await Task.Delay(5);
            }
        }
    }
}

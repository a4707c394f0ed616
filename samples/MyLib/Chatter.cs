using Carrot.Tasks;

namespace MyLib;

/// <summary>Tasks that write far more than anyone should, used by Carrot's tests of bounded task logs, and one that talks while it runs (live log tails).</summary>
public static class Chatter
{
    /// <summary>Writes one console line of <paramref name="chars"/> characters, in 8 Ki pieces, never holding it whole.</summary>
    public static long LongLine(long chars)
    {
        var piece = new string('x', 8 * 1024);
        for (var left = chars; left > 0; left -= piece.Length)
        {
            Console.Out.Write(piece.AsSpan(0, (int)Math.Min(left, piece.Length)));
        }

        Console.WriteLine();
        return chars;
    }

    /// <summary>Writes <paramref name="lines"/> short console lines.</summary>
    public static int ManyLines(int lines)
    {
        for (var i = 0; i < lines; i++)
        {
            Console.WriteLine($"console line {i}");
        }

        return lines;
    }

    /// <summary>Logs <paramref name="lines"/> lines through <see cref="TaskContext.Log"/>.</summary>
    public static int LogLines(int lines, TaskContext context)
    {
        for (var i = 0; i < lines; i++)
        {
            context.Log.LogInformation($"logged line {i}");
        }

        return lines;
    }

    /// <summary>Logs <paramref name="lines"/> lines, one every <paramref name="intervalMs"/> milliseconds: its lines can be tailed live (the monitor, <c>carrot tasks show ID --logs --follow</c>).</summary>
    public static async Task<int> Talk(int lines, int intervalMs, TaskContext context)
    {
        for (var i = 1; i <= lines; i++)
        {
            context.Log.LogInformation($"line {i} of {lines}");
            if (intervalMs > 0)
            {
                await Task.Delay(intervalMs, context.CancellationToken);
            }
        }

        return lines;
    }
}

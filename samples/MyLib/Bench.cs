namespace MyLib;

/// <summary>Tasks for Carrot's benchmark (<c>bench/run.sh</c>): they do nothing, so what is measured is Carrot itself.</summary>
public static class Bench
{
    /// <summary><c>carrot enqueue MyLib.Bench.Noop</c>: returns at once.</summary>
    public static void Noop()
    {
    }

    /// <summary>The wall clock in .NET ticks (100 ns) when the task's code ran: the latency bench compares it with the enqueue time.</summary>
    public static long Now() => DateTime.UtcNow.Ticks;
}

using System.Diagnostics;
using Carrot.Tasks;

namespace MyLib;

/// <summary>
/// A task that makes a span of its own, as a database or HTTP client would (export it with
/// <c>"otlp": {"sources": ["MyLib"]}</c>), and logs inside and outside it. Used by Carrot's own tests.
/// </summary>
public static class Traced
{
    private static readonly ActivitySource Source = new("MyLib");

    /// <summary>Returns the span id of the span it made ("" when nobody listens to "MyLib").</summary>
    public static string LogInASpan(TaskContext context)
    {
        context.Log.LogInformation("outside the task's own span");
        using var activity = Source.StartActivity("MyLib.Traced.inner");
        context.Log.LogInformation("inside the task's own span");
        Console.WriteLine("console inside the task's own span");
        return activity?.SpanId.ToHexString() ?? "";
    }
}

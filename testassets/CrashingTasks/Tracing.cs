using System.Diagnostics;
using Carrot.Tasks;

namespace CrashingTasks;

/// <summary>Task code that makes spans of its own, as a library instrumented with an ActivitySource does.</summary>
public static class Tracing
{
    private static readonly ActivitySource Source = new("CrashingTasks.Tracing", "1.0.0");

    /// <summary>
    /// A child span with a grandchild (a tag and an event on them), a line logged outside them and one in the child;
    /// returns the trace id the code saw as current.
    /// </summary>
    public static string ChildSpans(TaskContext context)
    {
        var seen = Activity.Current?.TraceId.ToHexString() ?? "none";
        context.Log.LogInformation("outside the task's spans");
        using (var child = Source.StartActivity("crashing.child", ActivityKind.Client))
        {
            context.Log.LogInformation("inside crashing.child");
            Console.WriteLine("printed inside crashing.child");
            child?.SetTag("crashing.answer", 42);
            using var grandchild = Source.StartActivity("crashing.grandchild");
            grandchild?.AddEvent(new ActivityEvent("crashing.event"));
            grandchild?.SetStatus(ActivityStatusCode.Error, "on purpose");
        }

        return seen;
    }
}

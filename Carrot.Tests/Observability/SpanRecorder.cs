using System.Collections.Concurrent;
using System.Diagnostics;
using Carrot.Diagnostics.Telemetry;

namespace Carrot.Tests.Observability;

/// <summary>Collects the "Carrot" source's finished spans through a real <see cref="ActivityListener"/>, as an SDK would.</summary>
internal sealed class SpanRecorder : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<Activity> _stopped = new();

    public SpanRecorder()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == CarrotTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The spans of one task (other tests may run beside this one in the process).</summary>
    public IReadOnlyList<Activity> OfTask(long taskId) =>
        _stopped.Where(a => a.GetTagItem("carrot.task.id") as string == taskId.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();

    public void Dispose() => _listener.Dispose();
}

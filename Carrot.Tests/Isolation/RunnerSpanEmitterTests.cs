using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Carrot.Daemon.Isolation;
using Carrot.Kallables.RunnerProtocol;

namespace Carrot.Tests.Isolation;

/// <summary>carrotd re-emits a runner's spans under the process span, parents first, with their ids mapped consistently.</summary>
[TestFixture]
public sealed class RunnerSpanEmitterTests
{
    private const string StandInId = "aaaaaaaaaaaaaaaa";

    [Test]
    public void SpansSentChildFirst_AreEmittedUnderTheProcessSpan_WithTheirParentLinksMapped()
    {
        var sourceName = $"Carrot.Tests.Emitter.{Guid.NewGuid():N}";
        using var recorder = new Recorder(sourceName);
        using var emitter = new RunnerSpanEmitter();
        var process = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var traceId = process.TraceId.ToHexString();
        var start = new DateTime(2026, 12, 1, 18, 0, 0, DateTimeKind.Utc);
        // As a runner sends them: the grandchild finishes first, and the child's parent is the runner's stand-in.
        var grandchild = Span(sourceName, "grandchild", traceId, "2222222222222222", "1111111111111111", start.AddMilliseconds(5), 10) with
        {
            Status = "Error",
            StatusDescription = "on purpose",
            Events = [new RunnerSpanEvent { Name = "retrying", TimeUtc = start.AddMilliseconds(7) }],
        };
        var child = Span(sourceName, "child", traceId, "1111111111111111", StandInId, start, 30) with
        {
            Kind = "Client",
            Tags = new() { ["answer"] = JsonSerializer.SerializeToElement(42), ["who"] = JsonSerializer.SerializeToElement("me") },
        };

        emitter.Emit([grandchild, child], process);

        var emittedChild = recorder.Stopped.Single(a => a.DisplayName == "child");
        var emittedGrandchild = recorder.Stopped.Single(a => a.DisplayName == "grandchild");
        Assert.Multiple(() =>
        {
            Assert.That(emittedChild.TraceId, Is.EqualTo(process.TraceId));
            Assert.That(emittedChild.ParentSpanId, Is.EqualTo(process.SpanId), "the stand-in maps to the process span");
            Assert.That(emittedGrandchild.TraceId, Is.EqualTo(process.TraceId));
            Assert.That(emittedGrandchild.ParentSpanId, Is.EqualTo(emittedChild.SpanId), "the runner's child id maps to carrotd's");
            Assert.That(emittedChild.Kind, Is.EqualTo(ActivityKind.Client));
            Assert.That(emittedChild.StartTimeUtc, Is.EqualTo(start));
            Assert.That(emittedChild.Duration, Is.EqualTo(TimeSpan.FromMilliseconds(30)));
            Assert.That(emittedChild.GetTagItem("answer"), Is.EqualTo(42L));
            Assert.That(emittedChild.GetTagItem("who"), Is.EqualTo("me"));
            Assert.That(emittedGrandchild.Status, Is.EqualTo(ActivityStatusCode.Error));
            Assert.That(emittedGrandchild.StatusDescription, Is.EqualTo("on purpose"));
            Assert.That(emittedGrandchild.Events.Select(e => e.Name), Is.EqualTo(new[] { "retrying" }));
            Assert.That(Activity.Current, Is.Null, "what was current before is current again");
        });
    }

    [Test]
    public void ASpanInAnotherTrace_KeepsItsOwnParent()
    {
        var sourceName = $"Carrot.Tests.Emitter.{Guid.NewGuid():N}";
        using var recorder = new Recorder(sourceName);
        using var emitter = new RunnerSpanEmitter();
        var process = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var otherTrace = ActivityTraceId.CreateRandom().ToHexString();

        emitter.Emit([Span(sourceName, "linked", otherTrace, "3333333333333333", "4444444444444444", DateTime.UtcNow, 1)], process);

        var emitted = recorder.Stopped.Single();
        Assert.Multiple(() =>
        {
            Assert.That(emitted.TraceId.ToHexString(), Is.EqualTo(otherTrace));
            Assert.That(emitted.ParentSpanId.ToHexString(), Is.EqualTo("4444444444444444"));
        });
    }

    private static RunnerSpan Span(string source, string name, string traceId, string spanId, string parentId, DateTime start, int milliseconds) => new()
    {
        Source = source,
        Name = name,
        TraceId = traceId,
        SpanId = spanId,
        ParentSpanId = parentId,
        StartUtc = start,
        DurationTicks = TimeSpan.FromMilliseconds(milliseconds).Ticks,
    };

    private sealed class Recorder : IDisposable
    {
        private readonly ActivityListener _listener;
        private readonly ConcurrentQueue<Activity> _stopped = new();

        public Recorder(string sourceName)
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == sourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = _stopped.Enqueue,
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public IReadOnlyList<Activity> Stopped => [.. _stopped];

        public void Dispose() => _listener.Dispose();
    }
}

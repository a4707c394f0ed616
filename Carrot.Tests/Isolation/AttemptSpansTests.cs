using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Carrot.Daemon.Isolation;
using Carrot.Kallables.RunnerProtocol;

namespace Carrot.Tests.Isolation;

/// <summary>carrotd mirrors a runner's spans under the process span as they start and stop, with their ids mapped consistently.</summary>
[TestFixture]
public sealed class AttemptSpansTests
{
    private const string StandInId = "aaaaaaaaaaaaaaaa";
    private const string ChildId = "1111111111111111";
    private const string GrandchildId = "2222222222222222";

    [Test]
    public void Spans_AreMirroredUnderTheProcessSpan_WithParentLinksAndLogLineIdsMapped()
    {
        var sourceName = $"Carrot.Tests.Mirror.{Guid.NewGuid():N}";
        using var recorder = new Recorder(sourceName);
        using var emitter = new RunnerSpanEmitter();
        var process = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var spans = new AttemptSpans(emitter, process, null);
        var traceId = process.TraceId.ToHexString();
        var start = new DateTime(2026, 12, 1, 18, 0, 0, DateTimeKind.Utc);
        var child = Span(sourceName, "child", traceId, ChildId, StandInId, start) with { Kind = "Client" };
        var grandchild = Span(sourceName, "grandchild", traceId, GrandchildId, ChildId, start.AddMilliseconds(5));

        // As a runner sends them: the child starts (under the stand-in), then the grandchild; they end the other way round.
        spans.Start(child);
        spans.Start(grandchild);
        var lineInGrandchild = spans.TraceOf(traceId, GrandchildId);
        var lineInStandIn = spans.TraceOf(traceId, StandInId);
        spans.Stop(grandchild with
        {
            DurationTicks = TimeSpan.FromMilliseconds(10).Ticks,
            Status = "Error",
            StatusDescription = "on purpose",
            Events = [new RunnerSpanEvent { Name = "retrying", TimeUtc = start.AddMilliseconds(7) }],
        });
        spans.Stop(child with
        {
            DurationTicks = TimeSpan.FromMilliseconds(30).Ticks,
            Tags = new() { ["answer"] = JsonSerializer.SerializeToElement(42), ["who"] = JsonSerializer.SerializeToElement("me") },
        });

        var emittedChild = recorder.Stopped.Single(a => a.DisplayName == "child");
        var emittedGrandchild = recorder.Stopped.Single(a => a.DisplayName == "grandchild");
        Assert.Multiple(() =>
        {
            Assert.That(emittedChild.TraceId, Is.EqualTo(process.TraceId));
            Assert.That(emittedChild.ParentSpanId, Is.EqualTo(process.SpanId), "the stand-in maps to the process span");
            Assert.That(emittedGrandchild.TraceId, Is.EqualTo(process.TraceId));
            Assert.That(emittedGrandchild.ParentSpanId, Is.EqualTo(emittedChild.SpanId), "the runner's child id maps to carrotd's");
            Assert.That(lineInGrandchild.SpanId, Is.EqualTo(emittedGrandchild.SpanId.ToHexString()), "a line in a span gets its carrotd id");
            Assert.That(lineInGrandchild.TraceId, Is.EqualTo(traceId));
            Assert.That(lineInStandIn.SpanId, Is.EqualTo(process.SpanId.ToHexString()), "a line outside the task's spans is the process span's");
            Assert.That(spans.TraceOf(null, null).SpanId, Is.Null, "no trace, no ids");
            Assert.That(emittedChild.Kind, Is.EqualTo(ActivityKind.Client));
            Assert.That(emittedChild.StartTimeUtc, Is.EqualTo(start));
            Assert.That(emittedChild.Duration, Is.EqualTo(TimeSpan.FromMilliseconds(30)));
            Assert.That(emittedChild.GetTagItem("answer"), Is.EqualTo(42L), "tags set after the start arrive with the end");
            Assert.That(emittedChild.GetTagItem("who"), Is.EqualTo("me"));
            Assert.That(emittedGrandchild.Status, Is.EqualTo(ActivityStatusCode.Error));
            Assert.That(emittedGrandchild.StatusDescription, Is.EqualTo("on purpose"));
            Assert.That(emittedGrandchild.Events.Select(e => e.Name), Is.EqualTo(new[] { "retrying" }));
            Assert.That(Activity.Current, Is.Null, "what was current before is current again");
        });
    }

    [Test]
    public void ASpanStillOpenWhenTheAttemptEnds_IsEndedThen_AndMarked()
    {
        var sourceName = $"Carrot.Tests.Mirror.{Guid.NewGuid():N}";
        using var recorder = new Recorder(sourceName);
        using var emitter = new RunnerSpanEmitter();
        var process = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var spans = new AttemptSpans(emitter, process, null);

        spans.Start(Span(sourceName, "open", process.TraceId.ToHexString(), ChildId, StandInId, DateTime.UtcNow));
        Assert.That(recorder.Stopped, Is.Empty);
        spans.End();

        Assert.That(recorder.Stopped.Single().GetTagItem("carrot.span.unfinished"), Is.EqualTo(true));
    }

    [Test]
    public void ASpanInAnotherTrace_KeepsItsOwnParent()
    {
        var sourceName = $"Carrot.Tests.Mirror.{Guid.NewGuid():N}";
        using var recorder = new Recorder(sourceName);
        using var emitter = new RunnerSpanEmitter();
        var process = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var spans = new AttemptSpans(emitter, process, null);
        var otherTrace = ActivityTraceId.CreateRandom().ToHexString();
        var linked = Span(sourceName, "linked", otherTrace, "3333333333333333", "4444444444444444", DateTime.UtcNow);

        spans.Start(linked);
        spans.Stop(linked with { DurationTicks = 1 });

        var emitted = recorder.Stopped.Single();
        Assert.Multiple(() =>
        {
            Assert.That(emitted.TraceId.ToHexString(), Is.EqualTo(otherTrace));
            Assert.That(emitted.ParentSpanId.ToHexString(), Is.EqualTo("4444444444444444"));
        });
    }

    [Test]
    public void SpansPastTheBound_AreCounted_NotMirrored()
    {
        var sourceName = $"Carrot.Tests.Mirror.{Guid.NewGuid():N}";
        using var recorder = new Recorder(sourceName);
        using var emitter = new RunnerSpanEmitter();
        var process = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var spans = new AttemptSpans(emitter, process, null);

        for (var i = 0; i < RunnerSpanEmitter.MaxSpansPerAttempt + 3; i++)
        {
            var span = Span(sourceName, "many", process.TraceId.ToHexString(), i.ToString("x16", System.Globalization.CultureInfo.InvariantCulture), StandInId, DateTime.UtcNow);
            spans.Start(span);
            spans.Stop(span with { DurationTicks = 1 });
        }

        Assert.Multiple(() =>
        {
            Assert.That(recorder.Stopped, Has.Count.EqualTo(RunnerSpanEmitter.MaxSpansPerAttempt));
            Assert.That(spans.Dropped, Is.EqualTo(3));
        });
    }

    private static RunnerSpan Span(string source, string name, string traceId, string spanId, string parentId, DateTime start) => new()
    {
        Source = source,
        Name = name,
        TraceId = traceId,
        SpanId = spanId,
        ParentSpanId = parentId,
        StartUtc = start,
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

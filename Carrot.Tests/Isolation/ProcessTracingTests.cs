using Carrot.Tests.Observability;

namespace Carrot.Tests.Isolation;

/// <summary>
/// Spans that task code makes in a runner reach carrotd's OTLP export under the attempt's process span, in its trace,
/// with their own parent links (ids mapped to carrotd's), over a real OTLP/HTTP receiver; the task's log lines carry
/// the ids of the span they were written in, as exported.
/// </summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class ProcessTracingTests : ProcessWorkerTest
{
    [Test]
    public async Task SpansOfTaskCodeInARunner_AreExportedUnderTheProcessSpan_InItsTrace()
    {
        await using var receiver = new OtlpReceiver();
        await using (var setup = await Sandbox.CreateClientAsync())
        {
            await AddProcessWorkerAsync(setup, "isolated", 1);
        }

        var daemon = await StartAsync(("otlp", new Dictionary<string, object>
        {
            ["endpoint"] = receiver.Endpoint,
            ["protocol"] = "http/protobuf",
            ["sources"] = new[] { "CrashingTasks.*" },
        }));
        await using var client = await Sandbox.CreateClientAsync();
        var id = await EnqueueAsync(client, "CrashingTasks.Tracing.ChildSpans", "isolated");
        var seenTraceId = System.Text.Json.JsonSerializer.Deserialize<string>((await SucceededAsync(client, id)).Result!);
        var lines = await client.GetTaskLogsAsync(id);
        // Stopping flushes the batch of spans that the SDK still holds.
        Assert.That(await daemon.StopAsync(TimeSpan.FromSeconds(30)), Is.EqualTo(0), daemon.Output);

        var spans = OtlpSpans.Parse(receiver.BodiesOf("/v1/traces"));
        var process = spans.Single(s => s.Name == "process isolated");
        var child = spans.Single(s => s.Name == "crashing.child");
        var grandchild = spans.Single(s => s.Name == "crashing.grandchild");
        Assert.Multiple(() =>
        {
            Assert.That(seenTraceId, Is.EqualTo(process.TraceId), "the task code ran in the process span's trace");
            Assert.That(child.Scope, Is.EqualTo("CrashingTasks.Tracing"));
            Assert.That(child.TraceId, Is.EqualTo(process.TraceId));
            Assert.That(child.ParentSpanId, Is.EqualTo(process.SpanId), "the task's span is a child of the process span");
            Assert.That(grandchild.TraceId, Is.EqualTo(process.TraceId));
            Assert.That(grandchild.ParentSpanId, Is.EqualTo(child.SpanId), "the parent link between the task's spans is kept");
            Assert.That(child.AttributeKeys, Does.Contain("crashing.answer"));
            Assert.That(grandchild.EventNames, Does.Contain("crashing.event"));
            Assert.That(new[] { process.SpanId, child.SpanId, grandchild.SpanId }.Distinct().Count(), Is.EqualTo(3));
            var outside = lines.Single(l => l.Message == "outside the task's spans");
            var inside = lines.Single(l => l.Message == "inside crashing.child");
            var printed = lines.Single(l => l.Message == "printed inside crashing.child");
            Assert.That((outside.TraceId, outside.SpanId), Is.EqualTo((process.TraceId, process.SpanId)), "a line outside the task's spans is the process span's");
            Assert.That((inside.TraceId, inside.SpanId), Is.EqualTo((process.TraceId, child.SpanId)), "a line in the task's span has that span's exported id");
            Assert.That((printed.TraceId, printed.SpanId), Is.EqualTo((process.TraceId, child.SpanId)), "console text too");
        });
    }
}

using System.Text;
using Carrot.Tests.EndToEnd;
using Carrot.Tests.Support;

namespace Carrot.Tests.Observability;

/// <summary>
/// Traces and metrics with the real processes: a script's TRACEPARENT goes through carrot enqueue, the row, RabbitMQ
/// and carrotd's process span to an OTLP/HTTP receiver; carrotd's /metrics counts the task.
/// </summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class TelemetryEndToEndTests : SandboxTest
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string ScriptSpanId = "00f067aa0ba902b7";
    private const string TraceParent = $"00-{TraceId}-{ScriptSpanId}-01";

    [Test]
    public async Task ATaskEnqueuedUnderTraceparent_RunsInThatTrace_ExportedOverOtlp_AndShowsItsTraceId()
    {
        await using var receiver = new OtlpReceiver();
        Sandbox.WriteConfig(Sandbox.BrokerUri, new Dictionary<string, object>
        {
            ["otlp"] = new Dictionary<string, string> { ["endpoint"] = receiver.Endpoint, ["protocol"] = "http/protobuf" },
        });
        var daemon = await StartDaemonAsync();

        var run = await CarrotAsync(new() { ["TRACEPARENT"] = TraceParent }, "enqueue", "MyLib.Jobs.Add", "--args", "[2, 3]", "--wait");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
        var failed = await CarrotAsync(new() { ["TRACEPARENT"] = TraceParent }, "enqueue", "MyLib.Jobs.Explode", "--kwargs", """{"why": "on purpose"}""", "--wait");
        Assert.That(failed.ExitCode, Is.EqualTo(1), failed.Output);
        // Stopping flushes the batch of spans that the SDK still holds.
        Assert.That(await daemon.StopAsync(TimeSpan.FromSeconds(30)), Is.EqualTo(0), daemon.Output);

        var show = TaskJson.Parse((await Sandbox.CarrotAsync("tasks", "show", "1", "--json")).StdOut);
        var table = (await Sandbox.CarrotAsync("tasks", "show", "1")).StdOut;
        var exported = receiver.BodiesOf("/v1/traces");
        Assert.Multiple(() =>
        {
            Assert.That(show.GetProperty("traceId").GetString(), Is.EqualTo(TraceId));
            Assert.That(table, Does.Contain(TraceId));
            Assert.That(exported, Is.Not.Empty, "carrotd posted no traces to the OTLP endpoint");
            // The process span is in the script's trace, a child of the script's span, and named per the conventions.
            Assert.That(exported.Any(b => Contains(b, Convert.FromHexString(TraceId)) && Contains(b, Convert.FromHexString(ScriptSpanId))), "no exported span in the script's trace under its span");
            Assert.That(exported.Any(b => Contains(b, "process default"u8.ToArray()) && Contains(b, "carrot.task.id"u8.ToArray()) && Contains(b, "messaging.system"u8.ToArray())), "no 'process default' span with the messaging attributes");
            Assert.That(exported.Any(b => Contains(b, "exception"u8.ToArray()) && Contains(b, "on purpose"u8.ToArray())), "the failed attempt's exception event was not exported");
        });
    }

    [Test]
    public async Task CapturedLogLines_CarryTheTraceAndTheSpanTheyWereWrittenIn()
    {
        await using var receiver = new OtlpReceiver();
        Sandbox.WriteConfig(Sandbox.BrokerUri, new Dictionary<string, object>
        {
            ["otlp"] = new Dictionary<string, object>
            {
                ["endpoint"] = receiver.Endpoint, ["protocol"] = "http/protobuf", ["sources"] = new[] { "MyLib" },
            },
        });
        var daemon = await StartDaemonAsync();

        var run = await CarrotAsync(new() { ["TRACEPARENT"] = TraceParent }, "enqueue", "MyLib.Traced.LogInASpan", "--wait");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
        Assert.That(await daemon.StopAsync(TimeSpan.FromSeconds(30)), Is.EqualTo(0), daemon.Output);

        var show = TaskJson.Parse((await Sandbox.CarrotAsync("tasks", "show", "1", "--logs", "--json")).StdOut);
        var innerSpan = show.GetProperty("result").GetString();
        var lines = show.GetProperty("logs").EnumerateArray().ToDictionary(
            l => l.GetProperty("message").GetString()!,
            l => (Trace: l.GetProperty("traceId").GetString(), Span: l.GetProperty("spanId").GetString()));
        var exported = receiver.BodiesOf("/v1/traces");
        Assert.Multiple(() =>
        {
            Assert.That(innerSpan, Has.Length.EqualTo(16), "the task's own span was not listened to");
            Assert.That(lines.Values.Select(l => l.Trace), Is.All.EqualTo(TraceId), "every line is in the script's trace");
            // Outside its own span, the task logs in the attempt's process span: exported, and not the script's span.
            var processSpan = lines["outside the task's own span"].Span;
            Assert.That(processSpan, Has.Length.EqualTo(16).And.Not.EqualTo(ScriptSpanId).And.Not.EqualTo(innerSpan));
            Assert.That(exported.Any(b => Contains(b, Convert.FromHexString(processSpan!)) && Contains(b, "process default"u8.ToArray())), "the process span the line names was not exported");
            // Inside it, both the logger's and the console's lines name the span the task made.
            Assert.That(lines["inside the task's own span"].Span, Is.EqualTo(innerSpan));
            Assert.That(lines["console inside the task's own span"].Span, Is.EqualTo(innerSpan));
            Assert.That(exported.Any(b => Contains(b, Convert.FromHexString(innerSpan!)) && Contains(b, "MyLib.Traced.inner"u8.ToArray())), "the task's own span was not exported");
        });
    }

    [Test]
    public async Task Metrics_AreServedOnTheirOwnLoopbackListener_AndCountTheTask()
    {
        var port = LoopbackPorts.Free(1)[0];
        Sandbox.WriteConfig(Sandbox.BrokerUri, new Dictionary<string, object>
        {
            ["metrics"] = new Dictionary<string, string> { ["listen"] = $"127.0.0.1:{port}" },
        });
        await StartDaemonAsync();

        var run = await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs.Add", "--args", "[2, 3]", "--wait");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);

        var text = await MetricsScrape.UntilAsync($"http://127.0.0.1:{port}/metrics", l => l.StartsWith("carrot_task_finished_total", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.Multiple(() =>
        {
            Assert.That(MetricsScrape.Line(text, "carrot_task_started_total"), Is.EqualTo("carrot_task_started_total{carrot_task_kallable=\"MyLib.Jobs.Add\",carrot_worker=\"default\"} 1"), text);
            Assert.That(MetricsScrape.Line(text, "carrot_task_finished_total"), Does.Contain("carrot_task_outcome=\"succeeded\"").And.EndWith(" 1"), text);
            Assert.That(text, Does.Contain("# TYPE carrot_task_started_total counter"), text);
            Assert.That(text, Does.Contain("# TYPE messaging_process_duration_seconds histogram"), text);
            Assert.That(MetricsScrape.Line(text, "messaging_process_duration_seconds_count"), Does.EndWith(" 1"), text);
            Assert.That(text, Does.Contain("carrot_task_queue_wait_seconds_bucket"), text);
            Assert.That(text, Does.Contain("# TYPE carrot_queue_depth gauge"), text);
        });
    }

    [Test]
    public async Task WithTheMonitorOn_MetricsAreServedOnItsListener_BehindItsCredentials()
    {
        var port = LoopbackPorts.Free(1)[0];
        Sandbox.WriteConfig(Sandbox.BrokerUri, new Dictionary<string, object>
        {
            ["monitor"] = new Dictionary<string, string> { ["listen"] = $"127.0.0.1:{port}", ["token"] = "m0nitor" },
        });
        await StartDaemonAsync();
        var run = await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs.Add", "--args", "[2, 3]", "--wait");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);

        using var http = new HttpClient();
        using var anonymous = await http.GetAsync($"http://127.0.0.1:{port}/metrics");
        string text = "";
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline && MetricsScrape.Line(text, "carrot_task_finished_total") == ""; await Task.Delay(100))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/metrics") { Headers = { { "Authorization", "Bearer m0nitor" } } };
            using var answer = await http.SendAsync(request);
            Assert.That(answer.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK));
            text = await answer.Content.ReadAsStringAsync();
        }

        Assert.Multiple(() =>
        {
            Assert.That(anonymous.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.Unauthorized), "the monitor's credentials guard /metrics too");
            Assert.That(MetricsScrape.Line(text, "carrot_task_finished_total"), Does.Contain("carrot_task_outcome=\"succeeded\"").And.EndWith(" 1"), text);
        });
    }

    [Test]
    public async Task AMetricsEndpointWithAToken_AnswersOnlyAScraperThatSendsIt()
    {
        var port = LoopbackPorts.Free(1)[0];
        Sandbox.WriteConfig(Sandbox.BrokerUri, new Dictionary<string, object>
        {
            ["metrics"] = new Dictionary<string, string> { ["listen"] = $"127.0.0.1:{port}", ["token"] = "s3cret" },
        });
        await StartDaemonAsync();

        using var http = new HttpClient();
        using var anonymous = await http.GetAsync($"http://127.0.0.1:{port}/metrics");
        using var wrong = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/metrics") { Headers = { { "Authorization", "Bearer guess" } } };
        using var wrongAnswer = await http.SendAsync(wrong);
        using var right = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/metrics") { Headers = { { "Authorization", "Bearer s3cret" } } };
        using var rightAnswer = await http.SendAsync(right);

        Assert.That((anonymous.StatusCode, wrongAnswer.StatusCode, rightAnswer.StatusCode),
            Is.EqualTo((System.Net.HttpStatusCode.Unauthorized, System.Net.HttpStatusCode.Unauthorized, System.Net.HttpStatusCode.OK)));
    }

    [Test]
    public async Task AMetricsAddressOffLoopbackWithoutAToken_IsRefused_AndTheDaemonExitsTwo()
    {
        Sandbox.WriteConfig(Sandbox.BrokerUri, new Dictionary<string, object>
        {
            ["metrics"] = new Dictionary<string, string> { ["listen"] = "0.0.0.0:9464" },
        });

        await using var daemon = DaemonProcess.Start(RepositoryPaths.Carrotd, Sandbox.Environment());
        await daemon.WaitForLogAsync("guards it", TimeSpan.FromSeconds(30));
        // It exits on its own; a SIGTERM sent while it is still on its way out would change the code.
        for (var waited = 0; !daemon.HasExited && waited < 300; waited++)
        {
            await Task.Delay(100);
        }

        var code = await daemon.StopAsync(TimeSpan.FromSeconds(30));

        Assert.That(code, Is.EqualTo(2), daemon.Output);
        Assert.That(daemon.Output, Does.Contain("is not a loopback address, and no \"token\" guards it"));
    }

    [Test]
    public async Task AMalformedTraceparent_IsRefusedWithOneLine_AndNothingIsEnqueued()
    {
        var run = await CarrotAsync(new() { ["TRACEPARENT"] = "not-a-trace" }, "enqueue", "MyLib.Jobs.Add", "--args", "[2, 3]");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output);
        Assert.That(run.StdErr.Trim(), Does.Contain("TRACEPARENT 'not-a-trace' is not a W3C traceparent"));
        // Refused before anything is opened: not even the database was created.
        Assert.That(File.Exists(Sandbox.DatabasePath), Is.False);
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    private async Task<DaemonProcess> StartDaemonAsync()
    {
        var daemon = DaemonProcess.Start(RepositoryPaths.Carrotd, Sandbox.Environment());
        _daemons.Add(daemon);
        await daemon.WaitForLogAsync("Consuming carrot.default", TimeSpan.FromSeconds(30));
        return daemon;
    }

    private readonly List<DaemonProcess> _daemons = [];

    [TearDown]
    public async Task StopDaemonsAsync()
    {
        foreach (var daemon in _daemons)
        {
            await daemon.DisposeAsync();
        }

        _daemons.Clear();
    }

    private Task<ProcessResult> CarrotAsync(Dictionary<string, string?> extra, params string[] args) => Sandbox.CarrotAsync(extra, args);
}

using Carrot.Handoff;
using Carrot.Records;
using Carrot.Tasks;
using NUnit.Framework;

namespace Carrot.Tests.Unit.Handoff;

[TestFixture]
public sealed class HandoffCodecTests
{
    [Test]
    public void ARequest_WithEveryField_ComesBackTheSame()
    {
        var request = new HandoffRequest(new EnqueueRequest
        {
            Kallable = "MyLib.Jobs.Bark",
            Args = """["Rex", "ünïcødé \"quoted\""]""",
            Kwargs = """{"times": 3}""",
            Worker = "files",
            Priority = 7,
            MaxRetries = 4,
            Timeout = TimeSpan.FromMilliseconds(1234.5),
            RunAt = new DateTimeOffset(2026, 12, 1, 9, 30, 15, 123, TimeSpan.FromHours(2)),
            Delay = TimeSpan.FromSeconds(90),
            Key = "order-1234",
            TraceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        }, WithTask: true);

        var decoded = HandoffCodec.DecodeRequest(HandoffCodec.Encode(request));

        Assert.That(decoded, Is.EqualTo(request));
    }

    [TestCase("quote \" and backslash \\ and slash /")]
    [TestCase("line\nbreak\r\ttab \u0000 nul \u001f unit separator \u007f delete")]
    [TestCase("ünïcødé, 中文, emoji 🥕, U+2028 \u2028 and U+2029 \u2029")]
    [TestCase("<script>&amp;'single'</script>")]
    [TestCase("")]
    public void AString_ThatNeedsEscaping_IsValidJson_AndComesBackTheSame(string text)
    {
        var request = new HandoffRequest(new EnqueueRequest { Kallable = "MyLib.Jobs.Bark", Args = text, Key = text }, WithTask: false);

        var body = HandoffCodec.Encode(request);
        var decoded = HandoffCodec.DecodeRequest(body);

        Assert.That(decoded.Request.Args, Is.EqualTo(text));
        Assert.That(decoded.Request.Key, Is.EqualTo(text));
        using var document = System.Text.Json.JsonDocument.Parse(body);
        Assert.That(document.RootElement.GetProperty("args").GetString(), Is.EqualTo(text));
    }

    [Test]
    public void ARequest_WithOnlyTheRequiredFields_KeepsTheOthersNull()
    {
        var request = new HandoffRequest(new EnqueueRequest { Kallable = "MyLib.Jobs.Bark" }, WithTask: false);

        var decoded = HandoffCodec.DecodeRequest(HandoffCodec.Encode(request));

        Assert.That(decoded, Is.EqualTo(request));
        Assert.That((decoded.Request.MaxRetries, decoded.Request.Timeout, decoded.Request.RunAt, decoded.Request.Delay, decoded.Request.Key), Is.EqualTo(((int?)null, (TimeSpan?)null, (DateTimeOffset?)null, (TimeSpan?)null, (string?)null)));
    }

    [Test]
    public void AReply_WithItsResultAndTaskState_ComesBackTheSame()
    {
        var reply = new HandoffReply
        {
            Result = new EnqueueResult(42, Published: false, "RabbitMQ did not confirm") { ScheduledFor = DateTimeOffset.UnixEpoch.AddDays(20000), Duplicate = true },
            State = TaskState.Scheduled,
            TaskResult = """{"ok": true}""",
            ErrorType = "System.InvalidOperationException",
            ErrorMessage = "boom",
        };

        var decoded = HandoffCodec.DecodeReply(HandoffCodec.Encode(reply));

        Assert.That(decoded, Is.EqualTo(reply));
        Assert.That(decoded.Result!.Dispatched, Is.True);
    }

    [Test]
    public void EveryFailure_ComesBackAsItsKindAndMessage_AndBecomesTheErrorTheCallerWouldHaveMet()
    {
        var thrown = new Exception[]
        {
            new Carrot.Errors.CarrotInputException("There is no worker named 'x'."),
            new Carrot.Errors.CarrotConfigurationException("bad setting"),
            new Carrot.Errors.CarrotStoreException("database locked"),
            new Carrot.Errors.BrokerUnavailableException("broker gone"),
            new TimeoutException("too slow"),
        };

        foreach (var exception in thrown)
        {
            var reply = new HandoffReply { Failure = HandoffFailure.From(exception) };
            var decoded = HandoffCodec.DecodeReply(HandoffCodec.Encode(reply));
            var rethrown = decoded.Failure!.ToException();

            Assert.That(decoded, Is.EqualTo(reply));
            Assert.That((rethrown.GetType(), rethrown.Message), Is.EqualTo((exception.GetType(), exception.Message)));
        }

        var unexpected = HandoffFailure.From(new ArgumentException("odd"));
        Assert.That(unexpected.Message, Does.Contain("System.ArgumentException").And.Contain("odd"));
    }

    [Test]
    public void TheHelloAndTheAnswer_ComeBackTheSame()
    {
        var hello = new HandoffHello(HandoffHello.CurrentVersion, new string('a', 64));
        var declined = new HandoffAnswer(false, "other settings");
        var accepted = new HandoffAnswer(true, null);

        Assert.Multiple(() =>
        {
            Assert.That(HandoffCodec.DecodeHello(HandoffCodec.Encode(hello)), Is.EqualTo(hello));
            Assert.That(HandoffCodec.DecodeAnswer(HandoffCodec.Encode(declined)), Is.EqualTo(declined));
            Assert.That(HandoffCodec.DecodeAnswer(HandoffCodec.Encode(accepted)), Is.EqualTo(accepted));
        });
    }

    [TestCase("not json")]
    [TestCase("""{"version": "one", "fingerprint": "x"}""")]
    [TestCase("""{"fingerprint": "x"}""")]
    [TestCase("[1, 2]")]
    public void AMessageThatIsNotCarrots_IsRefusedAsInvalidData(string body)
    {
        Assert.Throws<InvalidDataException>(() => HandoffCodec.DecodeHello(System.Text.Encoding.UTF8.GetBytes(body)));
    }

    [Test]
    public async Task Frames_CarryEachBodyWhole_AndTheEndOfTheStreamIsNull()
    {
        using var stream = new MemoryStream();
        await HandoffFrames.WriteAsync(stream, [1, 2, 3], CancellationToken.None);
        await HandoffFrames.WriteAsync(stream, new byte[70_000], CancellationToken.None);
        stream.Position = 0;

        Assert.That(await HandoffFrames.ReadAsync(stream, CancellationToken.None), Is.EqualTo(new byte[] { 1, 2, 3 }));
        Assert.That(await HandoffFrames.ReadAsync(stream, CancellationToken.None), Has.Length.EqualTo(70_000));
        Assert.That(await HandoffFrames.ReadAsync(stream, CancellationToken.None), Is.Null);
    }

    [Test]
    public void AFrameLongerThanTheLimit_IsRefusedBeforeAnythingIsAllocated()
    {
        using var stream = new MemoryStream([0x7f, 0xff, 0xff, 0xff]);

        Assert.ThrowsAsync<InvalidDataException>(async () => await HandoffFrames.ReadAsync(stream, CancellationToken.None));
    }
}

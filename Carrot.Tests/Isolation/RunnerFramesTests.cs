using System.Buffers.Binary;
using Carrot.Daemon.Isolation;
using Carrot.Kallables.RunnerProtocol;

namespace Carrot.Tests.Isolation;

/// <summary>The runner's pipe protocol, and how a runner's end is said, without processes.</summary>
[TestFixture]
public sealed class RunnerFramesTests
{
    [Test]
    public async Task AFrame_ReadsBackAsWritten_AndTheEndOfTheStreamIsNull()
    {
        var frame = new RunnerFrame(RunnerFrame.RunKind) { TaskId = 42, Attempt = 2, Worker = "files", Kallable = "MyLib.Jobs.Bark", Args = "[\"Rex\"]", Kwargs = "{}" };
        using var stream = new MemoryStream();
        stream.Write(RunnerFrames.Encode(frame));
        stream.Write(RunnerFrames.Encode(new RunnerFrame(RunnerFrame.CancelKind)));
        stream.Position = 0;

        var first = await RunnerFrames.ReadAsync(stream, CancellationToken.None);
        var second = await RunnerFrames.ReadAsync(stream, CancellationToken.None);
        var end = await RunnerFrames.ReadAsync(stream, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(frame));
            Assert.That(second?.Kind, Is.EqualTo(RunnerFrame.CancelKind));
            Assert.That(end, Is.Null);
        });
    }

    [Test]
    public async Task AFrameCutShort_IsTheEndOfTheStream()
    {
        var bytes = RunnerFrames.Encode(new RunnerFrame(RunnerFrame.Ready) { Pid = 7 });
        using var stream = new MemoryStream(bytes[..^3]);

        Assert.That(await RunnerFrames.ReadAsync(stream, CancellationToken.None), Is.Null);
    }

    [Test]
    public void ALengthOutOfRange_IsRefused_NotAllocated()
    {
        var header = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(header, -5);
        using var stream = new MemoryStream(header);

        Assert.ThrowsAsync<InvalidDataException>(async () => await RunnerFrames.ReadAsync(stream, CancellationToken.None));
    }

    [TestCase(0, "exited with code 0")]
    [TestCase(3, "exited with code 3")]
    [TestCase(134, "was killed by signal 6 (SIGABRT")]
    [TestCase(137, "was killed by signal 9 (SIGKILL")]
    public void ARunnersEnd_IsSaidAsAnExitCodeOrASignal(int exitCode, string expected) =>
        Assert.That(RunnerExit.Describe(exitCode), Does.StartWith(expected));
}

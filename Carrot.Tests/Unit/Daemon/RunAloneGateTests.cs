using Carrot.Daemon.Execution;

namespace Carrot.Tests.Unit.Daemon;

public sealed class RunAloneGateTests
{
    [Test]
    public async Task EnterAsync_LetsOrdinaryTasksShare()
    {
        var gate = new RunAloneGate();

        await using var first = await gate.EnterAsync(alone: false, CancellationToken.None);
        var second = gate.EnterAsync(alone: false, CancellationToken.None);

        Assert.That(second.IsCompletedSuccessfully, Is.True);
        await (await second).DisposeAsync();
    }

    [Test]
    public async Task EnterAsync_RunsASuspectOnlyWhenNothingElseRuns_AndHoldsNewTasksBackMeanwhile()
    {
        var gate = new RunAloneGate();
        var ordinary = await gate.EnterAsync(alone: false, CancellationToken.None);

        var suspect = gate.EnterAsync(alone: true, CancellationToken.None);
        var later = gate.EnterAsync(alone: false, CancellationToken.None);
        await Task.Delay(50);
        Assert.That(suspect.IsCompleted, Is.False, "the suspect waits for the running task");
        Assert.That(later.IsCompleted, Is.False, "a new task waits behind the suspect");

        await ordinary.DisposeAsync();
        var alone = await suspect.WaitAsync(TimeSpan.FromSeconds(5));
        await Task.Delay(50);
        Assert.That(later.IsCompleted, Is.False, "nothing runs beside the suspect");

        await alone.DisposeAsync();
        await (await later.WaitAsync(TimeSpan.FromSeconds(5))).DisposeAsync();
    }

    [Test]
    public async Task EnterAsync_GivesUpWaiting_WhenCancelled_WithoutBlockingOthers()
    {
        var gate = new RunAloneGate();
        var ordinary = await gate.EnterAsync(alone: false, CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var suspect = gate.EnterAsync(alone: true, cancel.Token);
        await cancel.CancelAsync();

        Assert.That(async () => await suspect, Throws.InstanceOf<OperationCanceledException>());
        var next = await gate.EnterAsync(alone: false, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        await next.DisposeAsync();
        await ordinary.DisposeAsync();
    }
}

using Carrot.Configuration;
using Carrot.Errors;
using NUnit.Framework;

namespace Carrot.Tests.Unit.Configuration;

/// <summary>A worker's own runner limits: the ranges of the daemon-wide settings, null for the daemon's default.</summary>
[TestFixture]
public sealed class RunnerLimitsTests
{
    [TestCase(null, null)]
    [TestCase(0, 0)]
    [TestCase(int.MaxValue, RunnerLimits.MaxMemoryMiB)]
    public void Check_AcceptsTheDefaultAndTheEdgesOfTheRanges(int? maxTasks, int? maxMemoryMiB)
    {
        Assert.That(() => RunnerLimits.Check(maxTasks, maxMemoryMiB), Throws.Nothing);
    }

    [TestCase(-1, null, "Runner max tasks -1 is out of range: use from 0 (no limit) to 2147483647 tasks, or 'default' for the daemon's runnerMaxTasks.")]
    [TestCase(null, -5, "Runner max memory -5 MiB is out of range: use from 0 (no limit) to 1048576 MiB (1 TiB), or 'default' for the daemon's runnerMaxMemoryMiB.")]
    [TestCase(null, RunnerLimits.MaxMemoryMiB + 1, "Runner max memory 1048577 MiB is out of range")]
    public void Check_RefusesAValueOutOfRange_InOneLine(int? maxTasks, int? maxMemoryMiB, string message)
    {
        var error = Assert.Throws<CarrotInputException>(() => RunnerLimits.Check(maxTasks, maxMemoryMiB));

        Assert.That(error!.Message, Does.StartWith(message).And.Not.Contain('\n'));
    }
}

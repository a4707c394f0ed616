using Carrot.Kallables;

namespace Carrot.Tests.Isolation;

/// <summary>Which assemblies a task library shares with the process that runs it: the contracts only.</summary>
[TestFixture]
public sealed class ContractAssembliesTests
{
    [Test]
    public void ATaskLibraryOnAnOlderSerilog_GetsItsOwnCopy_InAHostThatHasSerilog4()
    {
        // This test host loads Serilog 4 itself (through carrotd's assembly), as carrotd does.
        Assert.That(typeof(Serilog.Log).Assembly.GetName().Version!.Major, Is.EqualTo(4));
        var catalog = KallableCatalog.Load([IsolationAssets.PinnedDependencyFolder]);
        var target = catalog.Resolve("PinnedDependencyTasks.Tasks.LogWithOwnSerilog");

        var version = (string?)target.Overloads.Single().Invoke(null, null);

        Assert.That(version, Is.EqualTo("3.1.1"));
    }

    [Test]
    public void TheContracts_AreTheFrameworkAbstractionsAndLoggingAbstractions_NotTheDaemonsOwnLibraries()
    {
        var contracts = ContractAssemblies.ForThisProcess();

        Assert.Multiple(() =>
        {
            Assert.That(contracts.IsShared("System.Private.CoreLib"), Is.True);
            Assert.That(contracts.IsShared("System.Text.Json"), Is.True);
            Assert.That(contracts.IsShared("Carrot.Abstractions"), Is.True);
            Assert.That(contracts.IsShared("Microsoft.Extensions.Logging.Abstractions"), Is.True);
            Assert.That(contracts.IsShared("Microsoft.Extensions.DependencyInjection.Abstractions"), Is.True);
            foreach (var daemonsOwn in new[] { "Serilog", "Dapper", "RabbitMQ.Client", "Microsoft.Data.Sqlite", "Cronos", "Npgsql", "Carrot.Core" })
            {
                Assert.That(contracts.IsShared(daemonsOwn), Is.False, daemonsOwn);
            }
        });
    }
}

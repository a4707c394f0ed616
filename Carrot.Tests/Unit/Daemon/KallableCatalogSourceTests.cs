using Carrot.Daemon.Reloading;
using Carrot.Kallables;

namespace Carrot.Tests.Unit.Daemon;

/// <summary>Replacing the daemon's catalogue: running tasks keep theirs, and old code is unloaded when the last of them ends.</summary>
[TestFixture]
public sealed class KallableCatalogSourceTests
{
    private readonly Serilog.ILogger _logger = Serilog.Core.Logger.None;
    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = TempFolder.Create();

    [TearDown]
    public void DeleteFolder() => TempFolder.Delete(_folder);

    [Test]
    public void ReplacedCatalogue_IsUnloadedOnlyWhenItsLastLeaseIsReleased()
    {
        var dll = Install(1);
        var old = KallableCatalog.Load([dll]);
        var source = new KallableCatalogSource(old, _logger);
        var unloading = 0;
        old.Assemblies.Single().Context.Unloading += _ => unloading++;

        var first = source.Acquire();
        var second = source.Acquire();
        Install(2);
        source.Replace(KallableCatalog.Load([dll], old));

        Assert.That(source.Current, Is.Not.SameAs(old));
        Assert.That(first.Catalog, Is.SameAs(old), "a running task keeps the catalogue it started with");
        first.Dispose();
        Assert.That(unloading, Is.Zero, "another task still runs on the old code");
        second.Dispose();
        Assert.That(unloading, Is.EqualTo(1));
        using var next = source.Acquire();
        Assert.That(next.Catalog, Is.SameAs(source.Current));
    }

    [Test]
    public void ReplacedCatalogue_WithNoRunningTask_IsUnloadedAtOnce_ExceptContextsTheNewOneKept()
    {
        var versioned = Install(1);
        var old = KallableCatalog.Load([versioned, TestAssets.MyLibDll]);
        var source = new KallableCatalogSource(old, _logger);
        var unloaded = new List<string>();
        foreach (var assembly in old.Assemblies)
        {
            assembly.Context.Unloading += _ => unloaded.Add(Path.GetFileName(assembly.Path));
        }

        Install(2);
        source.Replace(KallableCatalog.Load([versioned, TestAssets.MyLibDll], old));

        Assert.That(unloaded, Is.EqualTo(new[] { "VersionedTasks.dll" }), "MyLib did not change, so its context is kept");
    }

    [Test]
    public void ReplacedCode_IsCollected_OnceItsLastTaskEnded_EvenAfterItsResultWasStoredAsJson()
    {
        var dll = Install(1);
        var (source, oldContext) = RunATaskThenReplace(dll);

        // As in the daemon, later tasks keep running (on the new code); System.Text.Json drops its stale
        // accessors for the old types as it builds new ones.
        var report = source.Current.Resolve("VersionedTasks.Tasks.Report").Overloads.Single();
        for (var i = 0; i < 100 && oldContext.IsAlive; i++)
        {
            Carrot.Kallables.ReturnValues.Serialize(report.Invoke(null, null));
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Thread.Sleep(100);
        }

        Assert.That(oldContext.IsAlive, Is.False, "the replaced assembly load context was not collected: something still references its types");
    }

    // Not inlined, so nothing in this frame keeps the old catalogue alive while the test collects.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private (KallableCatalogSource Source, WeakReference OldContext) RunATaskThenReplace(string dll)
    {
        var source = new KallableCatalogSource(KallableCatalog.Load([dll]), _logger);
        var lease = source.Acquire();
        var method = lease.Catalog.Resolve("VersionedTasks.Tasks.Report").Overloads.Single();
        var (json, problem) = Carrot.Kallables.ReturnValues.Serialize(method.Invoke(null, null));
        Assert.That(json, Does.Contain("\"build\":\"1\""), problem);
        var oldContext = new WeakReference(lease.Catalog.Assemblies.Single().Context);

        Install(2);
        source.Replace(KallableCatalog.Load([dll], source.Current));
        lease.Dispose();
        return (source, oldContext);
    }

    private string Install(int version)
    {
        foreach (var file in Directory.EnumerateFiles(TestAssets.VersionedTasksFolder(version), "VersionedTasks.*"))
        {
            File.Copy(file, Path.Combine(_folder, Path.GetFileName(file)), overwrite: true);
        }

        return Path.Combine(_folder, "VersionedTasks.dll");
    }
}

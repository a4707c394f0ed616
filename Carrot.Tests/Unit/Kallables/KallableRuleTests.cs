using System.Reflection;
using Carrot.Errors;
using Carrot.Kallables;

namespace Carrot.Tests.Unit.Kallables;

/// <summary>One rule decides what a kallable is; the listing and resolution agree on every method.</summary>
[TestFixture]
public sealed class KallableRuleTests
{
    [TestCase(nameof(RuleSamples.Plain))]
    [TestCase(nameof(RuleSamples.Instance))]
    [TestCase(nameof(RuleSamples.RunAsync))]
    public void APlainPublicMethod_IsAKallable(string name)
    {
        Assert.That(KallableRule.WhyNot(typeof(RuleSamples), Method(typeof(RuleSamples), name)), Is.Null);
    }

    [TestCase(typeof(RuleSamples), "get_Count", "accessor")]
    [TestCase(typeof(RuleSamples), "op_Addition", "operator")]
    [TestCase(typeof(RuleSamples), nameof(RuleSamples.Generic), "generic")]
    [TestCase(typeof(RuleSamples), nameof(RuleSamples.FireAndForget), "async void")]
    [TestCase(typeof(RuleSamples), nameof(RuleSamples.WithOut), "ref, out")]
    [TestCase(typeof(RuleSamples), nameof(RuleSamples.ToString), "overrides object.ToString")]
    [TestCase(typeof(RuleSamples), nameof(RuleSamples.Dispose), "releases the instance")]
    [TestCase(typeof(SampleRecord), nameof(SampleRecord.ToString), "compiler")]
    [TestCase(typeof(SampleRecord), nameof(SampleRecord.GetHashCode), "compiler")]
    [TestCase(typeof(SampleRecord), nameof(SampleRecord.Deconstruct), "compiler")]
    [TestCase(typeof(SampleRecord), "<Clone>$", "compiler")]
    [TestCase(typeof(SampleCallback), nameof(SampleCallback.Invoke), "delegate")]
    [TestCase(typeof(AbstractSample), nameof(AbstractSample.Run), "abstract")]
    public void WhatNobodyWroteAsATask_OrCarrotCannotCall_IsNotAKallable(Type type, string name, string reason)
    {
        var methods = type.GetMethods(KallableRule.Candidates).Where(m => m.Name == name).ToList();

        Assert.That(methods, Is.Not.Empty, $"{type.Name}.{name} exists");
        Assert.That(methods.Select(m => KallableRule.WhyNot(type, m)), Has.All.Contain(reason));
    }

    [Test]
    public void ARecordsEquals_IsNotAKallable_InAnyOverload()
    {
        var overloads = typeof(SampleRecord).GetMethods(KallableRule.Candidates).Where(m => m.Name == nameof(Equals)).ToList();

        Assert.That(overloads, Has.Count.EqualTo(2));
        Assert.That(overloads.Select(m => KallableRule.WhyNot(typeof(SampleRecord), m)), Has.None.Null);
    }

    [Test]
    public void EveryPublicMethodOfTheSample_ResolvesExactlyWhenItIsListed()
    {
        var catalog = KallableCatalog.Load([TestAssets.MyLibFolder]);
        var listed = catalog.All().Select(k => k.Name).ToHashSet(StringComparer.Ordinal);
        var types = catalog.Assemblies.SelectMany(a => a.Assembly.GetExportedTypes()).Where(t => !t.IsGenericTypeDefinition).ToList();
        var names = types.SelectMany(t => t.GetMethods(KallableRule.Candidates).Select(m => $"{t.FullName}.{m.Name}")).Distinct().ToList();

        var disagreements = names.Where(n => listed.Contains(n) != Resolves(catalog, n)).ToList();

        Assert.That(names, Does.Contain("MyLib.FileReport.ToString").And.Contain("MyLib.FileReport.<Clone>$").And.Contain("MyLib.FileReport.get_Path"));
        Assert.That(disagreements, Is.Empty, "listed but refused, or resolved but not listed");
    }

    [TestCase("MyLib.FileReport.ToString")]
    [TestCase("MyLib.FileReport.Equals")]
    [TestCase("MyLib.FileReport.GetHashCode")]
    [TestCase("MyLib.FileReport.Deconstruct")]
    [TestCase("MyLib.FileReport.op_Equality")]
    public void Resolve_RefusesARecordsGeneratedMembers_SayingWhy(string kallable)
    {
        var error = Assert.Throws<CarrotInputException>(() => KallableCatalog.Load([TestAssets.MyLibFolder]).Resolve(kallable));

        Assert.That(error!.Message, Does.StartWith($"'{kallable}' ").And.Contain("not a task"));
    }

    private static bool Resolves(KallableCatalog catalog, string name)
    {
        try
        {
            catalog.Resolve(name);
            return true;
        }
        catch (CarrotInputException)
        {
            return false;
        }
    }

    private static MethodInfo Method(Type type, string name) => type.GetMethods(KallableRule.Candidates).Single(m => m.Name == name);

    public sealed class RuleSamples : IDisposable
    {
        public int Count { get; set; }

        public static RuleSamples operator +(RuleSamples a, RuleSamples b) => a;

        public static void Plain()
        {
        }

        public string Instance() => Count.ToString(System.Globalization.CultureInfo.InvariantCulture);

        public static Task RunAsync() => Task.CompletedTask;

        public static T Generic<T>(T value) => value;

#pragma warning disable CS1998 // async void is exactly what the rule refuses
        public static async void FireAndForget()
        {
        }
#pragma warning restore CS1998

        public static void WithOut(out int value) => value = 1;

        public override string ToString() => "sample";

        public void Dispose()
        {
        }
    }

    public sealed record SampleRecord(string Name);

    public delegate void SampleCallback();

    public abstract class AbstractSample
    {
        public int Runs { get; private set; }

        public void Run() => Runs++;
    }
}

using System.Reflection;
using Carrot.Errors;
using Carrot.Kallables;
using Carrot.Tasks;
using NUnit.Framework;

namespace Carrot.Tests.Unit.Kallables;

[TestFixture]
public sealed class ArgumentBinderTests
{
    private KallableCatalog _myLib = KallableCatalog.Empty;

    [OneTimeSetUp]
    public void LoadTheSampleLibrary() => _myLib = KallableCatalog.Load([TestAssets.MyLibFolder]);

    [Test]
    public void Bind_TakesPositionalArguments_InOrder()
    {
        var call = ArgumentBinder.Bind(_myLib.Resolve("MyLib.Jobs.Bark"), """["Rex", 3]""", "{}");

        Assert.Multiple(() =>
        {
            Assert.That(call.Method.Name, Is.EqualTo("Bark"));
            Assert.That(call.Arguments, Is.EqualTo(new object?[] { "Rex", 3, null }));
        });
    }

    [Test]
    public void Bind_TakesKwargs_ByParameterName()
    {
        var call = ArgumentBinder.Bind(_myLib.Resolve("MyLib.Jobs.Bark"), "[]", """{"times": 2, "name": "Rex"}""");

        Assert.That(call.Arguments, Is.EqualTo(new object?[] { "Rex", 2, null }));
    }

    [Test]
    public void Bind_MixesPositionalArgumentsAndKwargs()
    {
        var call = ArgumentBinder.Bind(_myLib.Resolve("MyLib.Jobs.Bark"), """["Rex"]""", """{"times": 2}""");

        Assert.That(call.Arguments, Is.EqualTo(new object?[] { "Rex", 2, null }));
    }

    [Test]
    public void Bind_MatchesKwargs_IgnoringCase()
    {
        var call = ArgumentBinder.Bind(_myLib.Resolve("MyLib.Jobs.Bark"), "[]", """{"NAME": "Rex", "Times": 4}""");

        Assert.That(call.Arguments, Is.EqualTo(new object?[] { "Rex", 4, null }));
    }

    [Test]
    public void Bind_UsesDefaults_WhenOptionalArgumentsAreMissing()
    {
        var call = ArgumentBinder.Bind(_myLib.Resolve("MyLib.Jobs.ProcessFile"), """["/tmp/a.wav"]""", "{}");

        Assert.That(call.Arguments.Take(3), Is.EqualTo(new object?[] { "/tmp/a.wav", 1411, 1000 }));
    }

    [Test]
    public void Bind_RecordsTheTaskContextSlot_WithoutTakingItFromArgs()
    {
        var call = ArgumentBinder.Bind(_myLib.Resolve("MyLib.Jobs.Bark"), """["Rex", 2]""", "{}");

        Assert.Multiple(() =>
        {
            Assert.That(call.TaskContextSlots, Is.EqualTo((int[])[2]));
            Assert.That(call.CancellationTokenSlots, Is.Empty);
            Assert.That(call.Arguments[2], Is.Null, "the executor fills the slot");
        });
    }

    [Test]
    public void Bind_RecordsTheCancellationTokenSlot_WithoutTakingItFromArgs()
    {
        var call = ArgumentBinder.Bind(_myLib.Resolve("MyLib.Jobs.ProcessFile"), """["/tmp/a.wav", 320, 5]""", "{}");

        Assert.Multiple(() =>
        {
            Assert.That(call.Arguments.Take(3), Is.EqualTo(new object?[] { "/tmp/a.wav", 320, 5 }));
            Assert.That(call.CancellationTokenSlots, Is.EqualTo((int[])[3]));
            Assert.That(call.TaskContextSlots, Is.Empty);
        });
    }

    [Test]
    public void Bind_RecordsEveryInjectedSlot_WhereverItSits()
    {
        var call = ArgumentBinder.Bind(Target(typeof(Samples), nameof(Samples.Injected)), """["a", "b"]""", "{}");

        Assert.Multiple(() =>
        {
            Assert.That(call.TaskContextSlots, Is.EqualTo((int[])[0]));
            Assert.That(call.CancellationTokenSlots, Is.EqualTo((int[])[3]));
            Assert.That(call.Arguments, Is.EqualTo((object?[])[null, "a", "b", null]));
        });
    }

    [Test]
    public void Bind_RefusesAnInjectedParameter_GivenByName()
    {
        var error = Assert.Throws<CarrotInputException>(() =>
            ArgumentBinder.Bind(_myLib.Resolve("MyLib.Jobs.Bark"), """["Rex"]""", """{"context": {}}"""));

        Assert.That(error!.Message, Does.Contain("no parameter named 'context'"));
    }

    [Test]
    public void Bind_DoesNotCountInjectedParameters_AsPositionalSlots()
    {
        // ProcessFile takes path, bitrate, milliseconds and a CancellationToken; a fourth positional value has nowhere to go.
        var error = Assert.Throws<CarrotInputException>(() =>
            ArgumentBinder.Bind(_myLib.Resolve("MyLib.Jobs.ProcessFile"), """["/tmp/a.wav", 1, 2, "token"]""", "{}"));

        Assert.That(error!.Message, Does.Contain("takes 3 argument(s), got 4 positional"));
    }

    [Test]
    public void Bind_ChoosesTheIntOverload_ForJsonNumbers()
    {
        var call = ArgumentBinder.Bind(_myLib.Resolve("MyLib.Jobs.Add"), "[1, 2]", "{}");

        Assert.Multiple(() =>
        {
            Assert.That(call.Method.ReturnType, Is.EqualTo(typeof(int)));
            Assert.That(call.Arguments, Is.EqualTo(new object?[] { 1, 2 }));
        });
    }

    [Test]
    public void Bind_ChoosesTheStringOverload_ForJsonStrings()
    {
        var call = ArgumentBinder.Bind(_myLib.Resolve("MyLib.Jobs.Add"), """["a", "b"]""", "{}");

        Assert.Multiple(() =>
        {
            Assert.That(call.Method.ReturnType, Is.EqualTo(typeof(string)));
            Assert.That(call.Arguments, Is.EqualTo(new object?[] { "a", "b" }));
        });
    }

    [Test]
    public void Bind_DoesNotTurnNumericStringsIntoNumbers()
    {
        var call = ArgumentBinder.Bind(_myLib.Resolve("MyLib.Jobs.Add"), """["1", "2"]""", "{}");

        Assert.That(call.Method.ReturnType, Is.EqualTo(typeof(string)));
    }

    [Test]
    public void Bind_PrefersTheOverload_WhoseTypesFitTheJsonNaturally()
    {
        // Both accept a number; int fits it better than object.
        var call = ArgumentBinder.Bind(Target(typeof(Samples), nameof(Samples.Describe)), "[5]", "{}");

        Assert.That(call.Method.GetParameters()[0].ParameterType, Is.EqualTo(typeof(int)));
    }

    [Test]
    public void Bind_PrefersTheOverload_ThatDefaultsFewerParameters()
    {
        var call = ArgumentBinder.Bind(Target(typeof(Samples), nameof(Samples.Scale)), "[5]", "{}");

        Assert.That(call.Method.GetParameters(), Has.Length.EqualTo(1));
    }

    [Test]
    public void Bind_RefusesAnAmbiguousCall_NamingTheTiedOverloads()
    {
        var error = Assert.Throws<CarrotInputException>(() =>
            ArgumentBinder.Bind(Target(typeof(Samples), nameof(Samples.Resize)), "[5]", "{}"));

        Assert.That(error!.Message, Does.StartWith($"Ambiguous call to {typeof(Samples).FullName}.Resize")
            .And.Contain("Resize(Int32 count)")
            .And.Contain("Resize(Int64 bytes)")
            .And.Contain("by name (kwargs)"));
    }

    [Test]
    public void Bind_ResolvesAnAmbiguousCall_WhenArgumentsAreGivenByName()
    {
        var call = ArgumentBinder.Bind(Target(typeof(Samples), nameof(Samples.Resize)), "[]", """{"bytes": 5}""");

        Assert.Multiple(() =>
        {
            Assert.That(call.Method.GetParameters()[0].ParameterType, Is.EqualTo(typeof(long)));
            Assert.That(call.Arguments, Is.EqualTo(new object?[] { 5L }));
        });
    }

    [Test]
    public void Bind_RefusesTooManyPositionalArguments()
    {
        var error = Assert.Throws<CarrotInputException>(() =>
            ArgumentBinder.Bind(_myLib.Resolve("MyLib.Jobs.Bark"), """["Rex", 2, 3]""", "{}"));

        Assert.That(error!.Message, Does.StartWith("Arguments do not fit MyLib.Jobs.Bark(String name, Int32 times = 1")
            .And.EndWith("takes 2 argument(s), got 3 positional"));
    }

    [Test]
    public void Bind_RefusesAnUnknownKwarg_NamingIt()
    {
        var error = Assert.Throws<CarrotInputException>(() =>
            ArgumentBinder.Bind(_myLib.Resolve("MyLib.Jobs.Bark"), """["Rex"]""", """{"tims": 2}"""));

        Assert.That(error!.Message, Does.EndWith("no parameter named 'tims'"));
    }

    [Test]
    public void Bind_RefusesAParameter_GivenBothByPositionAndByName()
    {
        var error = Assert.Throws<CarrotInputException>(() =>
            ArgumentBinder.Bind(_myLib.Resolve("MyLib.Jobs.Bark"), """["Rex"]""", """{"name": "Max"}"""));

        Assert.That(error!.Message, Does.EndWith("'name' is given both by position and by name"));
    }

    [Test]
    public void Bind_RefusesAMissingRequiredArgument()
    {
        var error = Assert.Throws<CarrotInputException>(() =>
            ArgumentBinder.Bind(_myLib.Resolve("MyLib.Jobs.Bark"), "[]", """{"times": 2}"""));

        Assert.That(error!.Message, Does.EndWith("missing a value for 'name' (String)"));
    }

    [Test]
    public void Bind_RefusesNull_ForANonNullableString()
    {
        var error = Assert.Throws<CarrotInputException>(() =>
            ArgumentBinder.Bind(_myLib.Resolve("MyLib.Jobs.Bark"), "[null]", "{}"));

        Assert.That(error!.Message, Does.EndWith("'name' (String) does not accept null"));
    }

    [Test]
    public void Bind_AcceptsNull_ForANullableString()
    {
        var call = ArgumentBinder.Bind(Target(typeof(Samples), nameof(Samples.Note)), """["x", null]""", "{}");

        Assert.That(call.Arguments, Is.EqualTo(new object?[] { "x", null }));
    }

    [Test]
    public void Bind_AcceptsNull_ForANullableValueType()
    {
        var call = ArgumentBinder.Bind(Target(typeof(Samples), nameof(Samples.Maybe)), "[null]", "{}");

        Assert.That(call.Arguments, Is.EqualTo(new object?[] { null }));
    }

    [Test]
    public void Bind_RefusesNull_ForANonNullableValueType()
    {
        var error = Assert.Throws<CarrotInputException>(() =>
            ArgumentBinder.Bind(_myLib.Resolve("MyLib.Jobs.Bark"), """["Rex", null]""", "{}"));

        Assert.That(error!.Message, Does.EndWith("'times' (Int32) cannot take null"));
    }

    [Test]
    public void Bind_NamesTheParameter_WhenAValueHasTheWrongType()
    {
        var error = Assert.Throws<CarrotInputException>(() =>
            ArgumentBinder.Bind(_myLib.Resolve("MyLib.Jobs.Bark"), """["Rex", "many"]""", "{}"));

        Assert.That(error!.Message, Does.EndWith("""'times' (Int32) cannot take "many" """.TrimEnd()));
    }

    [TestCase("1.5")]
    [TestCase("3000000000")]
    [TestCase("true")]
    [TestCase("[1]")]
    public void Bind_RefusesNumbers_ThatDoNotFitAnInt(string value)
    {
        var error = Assert.Throws<CarrotInputException>(() =>
            ArgumentBinder.Bind(_myLib.Resolve("MyLib.Jobs.Bark"), $"""["Rex", {value}]""", "{}"));

        Assert.That(error!.Message, Does.Contain($"'times' (Int32) cannot take {value}"));
    }

    [Test]
    public void Bind_ShortensLongValues_InTheError()
    {
        var longText = new string('x', 100);

        var error = Assert.Throws<CarrotInputException>(() =>
            ArgumentBinder.Bind(_myLib.Resolve("MyLib.Jobs.Bark"), $"""["Rex", "{longText}"]""", "{}"));

        Assert.That(error!.Message, Does.Not.Contain(longText).And.EndWith("\"" + new string('x', 39) + "… (102 characters)"));
    }

    [Test]
    public void Bind_ExplainsEachOverload_WhenNoneFits()
    {
        var error = Assert.Throws<CarrotInputException>(() =>
            ArgumentBinder.Bind(_myLib.Resolve("MyLib.Jobs.Add"), "[true, false]", "{}"));

        Assert.That(error!.Message, Does.StartWith("No overload of MyLib.Jobs.Add fits these arguments.")
            .And.Contain("Add(Int32 a, Int32 b): 'a' (Int32) cannot take true")
            .And.Contain("Add(String a, String b): 'a' (String) cannot take true"));
    }

    [Test]
    public void Bind_ConvertsArraysAndObjects_WithWebNaming()
    {
        var call = ArgumentBinder.Bind(
            Target(typeof(Samples), nameof(Samples.Report)),
            """[[1, 2, 3], {"path": "/a", "bitrate": 320}]""",
            "{}");

        Assert.Multiple(() =>
        {
            Assert.That(call.Arguments[0], Is.EqualTo((int[])[1, 2, 3]));
            Assert.That(call.Arguments[1], Is.EqualTo(new Samples.Song("/a", 320)));
        });
    }

    [Test]
    public void Bind_AcceptsAnEnumByNumber()
    {
        var call = ArgumentBinder.Bind(Target(typeof(Samples), nameof(Samples.Paint)), "[1]", "{}");

        Assert.That(call.Arguments, Is.EqualTo(new object?[] { Samples.Colour.Green }));
    }

    [Test]
    public void Bind_RefusesRefParameters()
    {
        var error = Assert.Throws<CarrotInputException>(() =>
            ArgumentBinder.Bind(Target(typeof(Samples), nameof(Samples.Swap)), "[1]", "{}"));

        Assert.That(error!.Message, Does.Contain("parameter 'value' is ref/out/pointer"));
    }

    [Test]
    public void Bind_TakesNoArguments_ForAParameterlessMethod()
    {
        var call = ArgumentBinder.Bind(_myLib.Resolve("MyLib.Jobs+Nested.Ping"), "[]", "{}");

        Assert.That(call.Arguments, Is.Empty);
    }

    [Test]
    public void Bind_RefusesDuplicateKwargNames_AsAnInputError()
    {
        // JSON allows a name twice; the binder must say so rather than fail with an unrelated exception.
        Assert.Throws<CarrotInputException>(() =>
            ArgumentBinder.Bind(_myLib.Resolve("MyLib.Jobs.Bark"), """["Rex"]""", """{"times": 1, "times": 2}"""));
    }

    private static KallableTarget Target(Type type, string method) =>
        new(
            $"{type.FullName}.{method}",
            type,
            type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly).Where(m => m.Name == method).ToList());

    /// <summary>Shapes the sample library does not have: overloads that tie, nullable parameters, injected slots in odd places.</summary>
    public static class Samples
    {
        public enum Colour
        {
            Red,
            Green,
        }

        public static string Injected(TaskContext context, string a, string b, CancellationToken cancellationToken) => a + b;

        public static string Describe(object value) => $"object {value}";

        public static string Describe(int value) => $"int {value}";

        public static int Scale(int value) => value;

        public static int Scale(int value, int factor = 2) => value * factor;

        public static int Resize(int count) => count;

        public static long Resize(long bytes) => bytes;

        public static string Note(string text, string? note) => text + note;

        public static int Maybe(int? value) => value ?? 0;

        public static int Report(int[] values, Song song) => values.Length + song.Bitrate;

        public static Colour Paint(Colour colour) => colour;

        public static void Swap(ref int value) => value++;

        public sealed record Song(string Path, int Bitrate);
    }
}

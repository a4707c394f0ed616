using System.Text.Json;
using Carrot.Kallables;
using NUnit.Framework;

namespace Carrot.Tests.Unit.Daemon;

[TestFixture]
public sealed class ReturnValuesTests
{
    [Test]
    public async Task AwaitAsync_ReturnsNull_ForAVoidMethod()
    {
        var returned = Invoke(nameof(Returns.Nothing));

        Assert.That(await ReturnValues.AwaitAsync(typeof(void), returned), Is.Null);
    }

    [Test]
    public async Task AwaitAsync_ReturnsThePlainValue_ForAnInt()
    {
        var returned = Invoke(nameof(Returns.Number));

        Assert.That(await ReturnValues.AwaitAsync(typeof(int), returned), Is.EqualTo(42));
    }

    [Test]
    public async Task AwaitAsync_WaitsForATask_AndReturnsNull()
    {
        var returned = Invoke(nameof(Returns.TaskAsync));
        Assume.That(((Task)returned!).IsCompleted, Is.False, "the task should still be running when it is returned");

        var value = await ReturnValues.AwaitAsync(typeof(Task), returned);

        Assert.Multiple(() =>
        {
            Assert.That(value, Is.Null);
            Assert.That(((Task)returned!).IsCompletedSuccessfully, Is.True);
        });
    }

    [Test]
    public async Task AwaitAsync_ReturnsTheResult_OfATaskOfString()
    {
        var returned = Invoke(nameof(Returns.StringAsync));

        Assert.That(await ReturnValues.AwaitAsync(typeof(Task<string>), returned), Is.EqualTo("done"));
    }

    [Test]
    public async Task AwaitAsync_ReturnsTheResult_OfAValueTaskOfInt_ThatCompletesLater()
    {
        var returned = Invoke(nameof(Returns.ValueIntAsync));

        Assert.That(await ReturnValues.AwaitAsync(typeof(ValueTask<int>), returned), Is.EqualTo(7));
    }

    [Test]
    public async Task AwaitAsync_ReturnsTheResult_OfAValueTaskOfInt_ThatCompletedAlready()
    {
        var returned = Invoke(nameof(Returns.ValueIntNow));

        Assert.That(await ReturnValues.AwaitAsync(typeof(ValueTask<int>), returned), Is.EqualTo(8));
    }

    [Test]
    public async Task AwaitAsync_WaitsForAValueTask_AndReturnsNull()
    {
        var returned = Invoke(nameof(Returns.ValueAsync));

        Assert.That(await ReturnValues.AwaitAsync(typeof(ValueTask), returned), Is.Null);
        Assert.That(Returns.ValueAsyncFinished, Is.True);
    }

    [Test]
    public async Task AwaitAsync_ReturnsNothing_ForATaskDeclaredWithoutAResult()
    {
        // Declared as Task, even though the object is a Task<int>: what the method promised decides.
        var returned = Invoke(nameof(Returns.TaskHidingAnInt));

        Assert.That(await ReturnValues.AwaitAsync(typeof(Task), returned), Is.Null);
    }

    [Test]
    public void AwaitAsync_RethrowsTheTasksOwnException()
    {
        var returned = Invoke(nameof(Returns.FailAsync));

        var error = Assert.ThrowsAsync<InvalidOperationException>(() => ReturnValues.AwaitAsync(typeof(Task<int>), returned));

        Assert.That(error!.Message, Is.EqualTo("failed later"));
    }

    [Test]
    public void AwaitAsync_RethrowsCancellation()
    {
        Assert.That(
            () => ReturnValues.AwaitAsync(typeof(Task), Task.FromCanceled(new CancellationToken(canceled: true))),
            Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void Serialize_ReturnsNothing_ForNull()
    {
        Assert.That(ReturnValues.Serialize(null), Is.EqualTo(((string?)null, (string?)null)));
    }

    [Test]
    public void Serialize_WritesARecord_AsCamelCaseJson()
    {
        var (json, problem) = ReturnValues.Serialize(new Report("/tmp/a.wav", 1411, [1, 2]));

        Assert.Multiple(() =>
        {
            Assert.That(json, Is.EqualTo("""{"path":"/tmp/a.wav","bitrate":1411,"parts":[1,2]}"""));
            Assert.That(problem, Is.Null);
        });
    }

    [TestCase(42, "42")]
    [TestCase("Rex: Woof!", "\"Rex: Woof!\"")]
    [TestCase(true, "true")]
    public void Serialize_WritesPlainValues(object value, string expected)
    {
        Assert.That(ReturnValues.Serialize(value), Is.EqualTo(((string?)expected, (string?)null)));
    }

    [Test]
    public void Serialize_UsesTheRuntimeType_NotTheDeclaredOne()
    {
        object value = new Report("p", 1, []);

        Assert.That(ReturnValues.Serialize(value).Json, Does.Contain("\"bitrate\":1"));
    }

    [Test]
    public void Serialize_StoresAResult_AtTheLimit()
    {
        var value = new string('x', ReturnValues.DefaultMaxResultChars - 2);

        var (json, problem) = ReturnValues.Serialize(value);

        Assert.Multiple(() =>
        {
            Assert.That(json, Has.Length.EqualTo(ReturnValues.DefaultMaxResultChars));
            Assert.That(problem, Is.Null);
        });
    }

    [Test]
    public void Serialize_RefusesAResult_OverTheLimit()
    {
        var value = new string('x', ReturnValues.DefaultMaxResultChars);

        var (json, problem) = ReturnValues.Serialize(value);

        Assert.Multiple(() =>
        {
            Assert.That(json, Is.Null);
            Assert.That(problem, Is.EqualTo("The result (1,048,578 characters of JSON) is over the 1,048,576 limit (maxResultChars) and was not stored. Store large results elsewhere and return a reference."));
        });
    }

    [Test]
    public void Serialize_RefusesAResult_OverAConfiguredLimit()
    {
        var (json, problem) = ReturnValues.Serialize(new string('x', 100), maxChars: 64);

        Assert.Multiple(() =>
        {
            Assert.That(json, Is.Null);
            Assert.That(problem, Does.StartWith("The result (102 characters of JSON) is over the 64 limit (maxResultChars)"));
        });
    }

    [Test]
    public void Serialize_ExplainsAType_ItCannotStore()
    {
        var (json, problem) = ReturnValues.Serialize(typeof(string));

        Assert.Multiple(() =>
        {
            Assert.That(json, Is.Null);
            Assert.That(problem, Does.StartWith("The result of type System.RuntimeType could not be stored as JSON:"));
        });
    }

    [Test]
    public void Serialize_ExplainsAPointer_ItCannotStore()
    {
        var (json, problem) = ReturnValues.Serialize(new Handle(IntPtr.Zero));

        Assert.Multiple(() =>
        {
            Assert.That(json, Is.Null);
            Assert.That(problem, Does.Contain(typeof(Handle).FullName!).And.Contain("could not be stored as JSON"));
        });
    }

    [Test]
    public void Serialize_ExplainsACycle_ItCannotStore()
    {
        var node = new Node();
        node.Next = node;

        var (json, problem) = ReturnValues.Serialize(node);

        Assert.Multiple(() =>
        {
            Assert.That(json, Is.Null);
            Assert.That(problem, Does.Contain("could not be stored as JSON"));
        });
    }

    [Test]
    public void Serialize_ExplainsAPropertyThatThrowsInvalidOperation()
    {
        var (json, problem) = ReturnValues.Serialize(new Throwing(new InvalidOperationException("not ready")));

        Assert.Multiple(() =>
        {
            Assert.That(json, Is.Null);
            Assert.That(problem, Does.Contain("could not be stored as JSON").And.Contain("not ready"));
        });
    }

    [Test]
    public void Serialize_ExplainsAPropertyThatThrowsAnythingElse()
    {
        // A task that ran to completion must not be recorded as failed because its result's getter threw.
        var (json, problem) = ReturnValues.Serialize(new Throwing(new NotImplementedException("lazy")));

        Assert.Multiple(() =>
        {
            Assert.That(json, Is.Null);
            Assert.That(problem, Does.Contain("could not be stored as JSON").And.Contain("lazy"));
        });
    }

    [Test]
    public void Serialize_ReturnsJsonThatReadsBack()
    {
        var (json, _) = ReturnValues.Serialize(new Dictionary<string, object?> { ["a"] = 1, ["b"] = null, ["c"] = "é" });

        using var document = JsonDocument.Parse(json!);
        Assert.That(document.RootElement.GetProperty("c").GetString(), Is.EqualTo("é"));
    }

    private static object? Invoke(string name) => typeof(Returns).GetMethod(name)!.Invoke(null, null);

    public sealed record Report(string Path, int Bitrate, int[] Parts);

    public sealed record Handle(IntPtr Value);

    public sealed class Node
    {
        public Node? Next { get; set; }
    }

    public sealed class Throwing(Exception error)
    {
        public string Name { get; } = "x";

        public string Value => throw error;
    }

    /// <summary>Kallable-shaped methods, invoked by reflection as the executor does.</summary>
    public static class Returns
    {
        public static bool ValueAsyncFinished { get; private set; }

        public static void Nothing()
        {
        }

        public static int Number() => 42;

        public static async Task TaskAsync() => await Task.Delay(20);

        public static async Task<string> StringAsync()
        {
            await Task.Yield();
            return "done";
        }

        public static async ValueTask<int> ValueIntAsync()
        {
            await Task.Delay(10);
            return 7;
        }

        public static ValueTask<int> ValueIntNow() => ValueTask.FromResult(8);

        public static async ValueTask ValueAsync()
        {
            await Task.Delay(10);
            ValueAsyncFinished = true;
        }

        public static Task TaskHidingAnInt() => Task.FromResult(5);

        public static async Task<int> FailAsync()
        {
            await Task.Yield();
            throw new InvalidOperationException("failed later");
        }
    }
}

using System.Linq.Expressions;
using System.Text.Json;
using Carrot.Client;
using Carrot.Errors;
using MyLib;

namespace Carrot.Tests.Unit.Client;

/// <summary>Typed enqueue against samples/MyLib's methods (compiled into the tests): the request the string form would make, or one clear refusal.</summary>
[TestFixture]
public sealed class KallableExpressionTests
{
    [Test]
    public void StaticCall_GivesTheKallableAndThePositionalArgs_OfTheStringForm()
    {
        var request = KallableExpression.ToRequest(() => Jobs.Bark("Rex", 2));

        Assert.Multiple(() =>
        {
            Assert.That(request.Kallable, Is.EqualTo("MyLib.Jobs.Bark"));
            Assert.That(request.Args, Is.EqualTo(JsonSerializer.Serialize(new object?[] { "Rex", 2 })), "what EnqueueAsync(\"MyLib.Jobs.Bark\", [\"Rex\", 2]) stores");
            Assert.That(request.Kwargs, Is.EqualTo("{}"));
            Assert.That(request.Worker, Is.EqualTo("default"));
        });
    }

    [Test]
    public void InstanceCall_NamesTheTypeCarrotdCreates_AndLeavesTheTokenOut()
    {
        var request = KallableExpression.ToRequest<Greeter>(g => g.Greet("Ada", default));

        Assert.That((request.Kallable, request.Args), Is.EqualTo(("MyLib.Greeter.Greet", """["Ada"]""")));
    }

    [Test]
    public void TaskContextParameter_IsLeftOut()
    {
        var request = KallableExpression.ToRequest(() => Flaky.SucceedOnAttempt(2, null!));

        Assert.That((request.Kallable, request.Args), Is.EqualTo(("MyLib.Flaky.SucceedOnAttempt", "[2]")));
    }

    [Test]
    public void NestedType_IsJoinedWithAPlus()
    {
        Assert.That(KallableExpression.ToRequest(() => Jobs.Nested.Ping()).Kallable, Is.EqualTo("MyLib.Jobs+Nested.Ping"));
    }

    [Test]
    public void TrailingArgumentsEqualToTheirDefaults_AreLeftOut_AsTheStringFormLeavesThem()
    {
        Assert.Multiple(() =>
        {
            Assert.That(KallableExpression.ToRequest(() => Jobs.ProcessFile("/tmp/a.wav", 1411, 1000, default)).Args, Is.EqualTo("""["/tmp/a.wav"]"""));
            Assert.That(KallableExpression.ToRequest(() => Jobs.ProcessFile("/tmp/a.wav", 320, 1000, default)).Args, Is.EqualTo("""["/tmp/a.wav",320]"""));
            Assert.That(KallableExpression.ToRequest(() => Jobs.Bark("Rex", 1, null)).Args, Is.EqualTo("""["Rex"]"""));
        });
    }

    [Test]
    public void CapturedValues_AndTheirMembers_AreReadAtEnqueue()
    {
        var name = "Rex";
        var order = new { Times = 3 };

        var request = KallableExpression.ToRequest(() => Jobs.Bark(name, order.Times));

        Assert.That(request.Args, Is.EqualTo("""["Rex",3]"""));
    }

    [Test]
    public void Overloads_TheJsonTypesPickTheNamedOne()
    {
        Assert.Multiple(() =>
        {
            Assert.That(KallableExpression.ToRequest(() => Jobs.Add(1, 2)).Args, Is.EqualTo("[1,2]"));
            Assert.That(KallableExpression.ToRequest(() => Jobs.Add("a", "b")).Args, Is.EqualTo("""["a","b"]"""));
        });
    }

    [Test]
    public void Overloads_ThatTheJsonCannotTellApart_AreRefused()
    {
        var error = Assert.Throws<CarrotInputException>(() => KallableExpression.ToRequest(() => Probe.Echo(5L)));

        Assert.That(error!.Message, Does.Contain("do not pick Echo(Int64 value)").And.Contain("Give the overloads different names"));
    }

    [Test]
    public void AComputedArgument_IsRefused_WithWhatToDoInstead()
    {
        var name = "rex";

        var error = Assert.Throws<CarrotInputException>(() => KallableExpression.ToRequest(() => Jobs.Bark(name.ToUpperInvariant(), 2)));

        Assert.That(error!.Message, Does.Contain("the argument for 'name' is").And.Contain("compute it into a variable first"));
    }

    [Test]
    public void ACallOnAnObjectOfTheCaller_IsRefused_BecauseCarrotdCreatesItsOwn()
    {
        var greeter = new Greeter(Microsoft.Extensions.Logging.Abstractions.NullLogger<Greeter>.Instance);

        var error = Assert.Throws<CarrotInputException>(() => KallableExpression.ToRequest(() => greeter.Greet("Ada", default)));

        Assert.That(error!.Message, Does.Contain("EnqueueAsync<Greeter>(x => x.Greet(…))"));
    }

    [Test]
    public void AMethodDeclaredOnAnotherType_IsRefused()
    {
        var error = Assert.Throws<CarrotInputException>(() => KallableExpression.ToRequest<Greeter>(g => g.ToString()));

        Assert.That(error!.Message, Does.Contain("declared on Object, not on Greeter"));
    }

    [Test]
    public void FrameworkCode_IsRefusedLikeTheStringForm()
    {
        var error = Assert.Throws<CarrotInputException>(() => KallableExpression.ToRequest(() => File.Delete("/etc/passwd")));

        Assert.That(error!.Message, Does.Contain("'System.IO.File.Delete' is not a task"));
    }

    [Test]
    public void NotAMethodCall_IsRefused()
    {
        var error = Assert.Throws<CarrotInputException>(() => KallableExpression.ToRequest(Expression.Lambda<Action>(Expression.Empty())));

        Assert.That(error!.Message, Does.Contain("is not a method call"));
    }
}

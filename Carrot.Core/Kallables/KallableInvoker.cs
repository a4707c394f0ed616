using System.Reflection;
using Carrot.Tasks;
using Microsoft.Extensions.DependencyInjection;

namespace Carrot.Kallables;

/// <summary>
/// The one way a bound call is run, in carrotd (in-process workers) and in carrot-runner (process workers): the
/// injected slots filled, the instance created through DI for an instance method, the method invoked, its result
/// awaited and turned into JSON, the instance disposed. Never throws: the task's exception is returned.
/// </summary>
internal static class KallableInvoker
{
    public static async Task<KallableOutcome> InvokeAsync(KallableTarget target, BoundCall call, TaskContext context, IServiceProvider services, int maxResultChars)
    {
        var arguments = (object?[])call.Arguments.Clone();
        foreach (var slot in call.CancellationTokenSlots)
        {
            arguments[slot] = context.CancellationToken;
        }

        foreach (var slot in call.TaskContextSlots)
        {
            arguments[slot] = context;
        }

        await using var scope = services.CreateAsyncScope();
        object? instance = null;
        try
        {
            instance = call.Method.IsStatic ? null : ActivatorUtilities.CreateInstance(scope.ServiceProvider, target.Type);
            var returned = call.Method.Invoke(instance, arguments);
            var value = await ReturnValues.AwaitAsync(call.Method.ReturnType, returned);
            var (json, problem) = ReturnValues.Serialize(value, maxResultChars);
            return new KallableOutcome(json, problem, null);
        }
        catch (Exception e)
        {
            return new KallableOutcome(null, null, e is TargetInvocationException { InnerException: { } inner } ? inner : e);
        }
        finally
        {
            await DisposeAsync(instance);
        }
    }

    private static async ValueTask DisposeAsync(object? instance)
    {
        if (instance is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }
        else if (instance is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }
}

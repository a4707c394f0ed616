using System.Reflection;
using System.Runtime.CompilerServices;

namespace Carrot.Kallables;

/// <summary>
/// What a kallable is: the one rule that <see cref="KallableCatalog.Resolve"/> and <see cref="KallableCatalog.All"/>
/// share, so that exactly what 'carrot kallables list' lists can be enqueued and run. A public method of a public
/// type qualifies unless it is something nobody wrote as a task: members the compiler writes (a record's
/// <c>ToString</c>, <c>Equals</c>, <c>GetHashCode</c>, <c>&lt;Clone&gt;$</c>, <c>Deconstruct</c>), property and
/// event accessors and operators, <c>object</c>'s overrides, a delegate's plumbing, <c>Dispose</c>; or something
/// Carrot cannot call (generic methods, instance methods of abstract types, <c>async void</c>, ref/out parameters).
/// </summary>
internal static class KallableRule
{
    public const BindingFlags Candidates = BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;

    /// <summary>Null when <paramref name="method"/> of <paramref name="type"/> is a kallable; else why not, as the end of a sentence that starts with its name.</summary>
    public static string? WhyNot(Type type, MethodInfo method)
    {
        if (method.IsSpecialName)
        {
            return "is a property or event accessor or an operator, not a task.";
        }

        if (typeof(Delegate).IsAssignableFrom(type))
        {
            return "belongs to a delegate type, not a task.";
        }

        if (method.Name.Contains('<', StringComparison.Ordinal) || method.GetCustomAttribute<CompilerGeneratedAttribute>() is not null)
        {
            return "is written by the compiler (as a record's ToString, Equals, GetHashCode, Deconstruct and <Clone>$ are), not a task.";
        }

        if (method.GetBaseDefinition().DeclaringType == typeof(object))
        {
            return $"overrides object.{method.Name}, which is not a task.";
        }

        if (IsDispose(type, method))
        {
            return "releases the instance of an instance task; it is not a task.";
        }

        if (method.IsGenericMethodDefinition)
        {
            return "is a generic method; Carrot cannot choose its type arguments. Add a non-generic wrapper.";
        }

        if (!method.IsStatic && (type.IsAbstract || type.IsInterface))
        {
            return "is an instance method of an abstract type or interface, which Carrot cannot create. Make it static, or expose it on a concrete class.";
        }

        if (method.ReturnType == typeof(void) && method.GetCustomAttribute<AsyncStateMachineAttribute>() is not null)
        {
            return "is 'async void', which Carrot cannot await or observe. Make it 'async Task'.";
        }

        if (method.GetParameters().Any(p => p.ParameterType.IsByRef || p.ParameterType.IsPointer))
        {
            return "takes a ref, out or pointer parameter, which a task cannot take.";
        }

        return null;
    }

    private static bool IsDispose(Type type, MethodInfo method) =>
        !method.IsStatic
        && method.GetParameters().Length == 0
        && ((method.Name == nameof(IDisposable.Dispose) && typeof(IDisposable).IsAssignableFrom(type))
            || (method.Name == nameof(IAsyncDisposable.DisposeAsync) && typeof(IAsyncDisposable).IsAssignableFrom(type)));
}

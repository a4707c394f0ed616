using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;
using Carrot.Errors;
using Carrot.Kallables;
using Carrot.Records;
using Carrot.Tasks;

namespace Carrot.Client;

/// <summary>
/// Turns a call written in C# — <c>() =&gt; Jobs.Bark("Rex", 2)</c>, or <c>(Greeter g) =&gt; g.Greet("Ada", default)</c>
/// for an instance method that carrotd creates — into the request the string form makes: the kallable
/// <c>Namespace.Type.Method</c> (<c>+</c> for nested types) and the arguments by position as JSON, so the compiler checks
/// what the CLI checks at run time. Parameters that carrotd injects (<c>CancellationToken</c>, <c>TaskContext</c>) are
/// left out, and trailing arguments equal to their parameter's default are too, as the string form would leave them.
/// </summary>
/// <remarks>
/// carrotd picks an overload from the JSON arguments alone. So that the overload the expression names is the one
/// that runs, the arguments are bound as carrotd binds them: when position alone would pick another overload (or
/// none clearly), they are recorded by parameter name (kwargs) instead; when neither picks the named method, the
/// call is refused. An argument must be a constant, a captured variable or a field or property of one (or a static
/// one), so it is read now, at enqueue, and nothing is computed that the reader could think runs in the task.
/// </remarks>
public static class KallableExpression
{
    private const int ExcerptLength = 60;

    /// <summary>The request for a call of a static method, e.g. <c>() =&gt; Jobs.Bark("Rex", 2)</c>.</summary>
    /// <param name="call">One call of a public static method of a public type, with constants or captured values as arguments.</param>
    /// <returns>A request with <see cref="EnqueueRequest.Kallable"/>, <see cref="EnqueueRequest.Args"/> and <see cref="EnqueueRequest.Kwargs"/> set; add worker and options with <c>with { … }</c>.</returns>
    /// <exception cref="CarrotInputException">The expression is not such a call, or its arguments would run another overload.</exception>
    public static EnqueueRequest ToRequest(Expression<Action> call) => Parse(call, instanceType: null);

    /// <summary>
    /// The request for a call of an instance method of <typeparamref name="T"/>, e.g. <c>(Greeter g) =&gt; g.Greet("Ada", default)</c>:
    /// carrotd creates the <typeparamref name="T"/> itself (through dependency injection), so the call must be on the lambda's parameter.
    /// </summary>
    /// <typeparam name="T">The public class that declares the method.</typeparam>
    /// <param name="call">One call of a public method of <typeparamref name="T"/> on the lambda's parameter, with constants or captured values as arguments.</param>
    /// <returns>A request with <see cref="EnqueueRequest.Kallable"/>, <see cref="EnqueueRequest.Args"/> and <see cref="EnqueueRequest.Kwargs"/> set.</returns>
    /// <exception cref="CarrotInputException">The expression is not such a call, or its arguments would run another overload.</exception>
    public static EnqueueRequest ToRequest<T>(Expression<Action<T>> call) => Parse(call, typeof(T));

    /// <summary>As <see cref="ToRequest(Expression{Action})"/>, for a method that returns a task (so the compiler does not warn that it is not awaited).</summary>
    /// <param name="call">One call of a public static method of a public type, with constants or captured values as arguments.</param>
    /// <returns>A request with <see cref="EnqueueRequest.Kallable"/>, <see cref="EnqueueRequest.Args"/> and <see cref="EnqueueRequest.Kwargs"/> set.</returns>
    /// <exception cref="CarrotInputException">The expression is not such a call, or its arguments would run another overload.</exception>
    public static EnqueueRequest ToRequest(Expression<Func<Task>> call) => Parse(call, instanceType: null);

    /// <summary>As <see cref="ToRequest{T}(Expression{Action{T}})"/>, for a method that returns a task.</summary>
    /// <typeparam name="T">The public class that declares the method.</typeparam>
    /// <param name="call">One call of a public method of <typeparamref name="T"/> on the lambda's parameter, with constants or captured values as arguments.</param>
    /// <returns>A request with <see cref="EnqueueRequest.Kallable"/>, <see cref="EnqueueRequest.Args"/> and <see cref="EnqueueRequest.Kwargs"/> set.</returns>
    /// <exception cref="CarrotInputException">The expression is not such a call, or its arguments would run another overload.</exception>
    public static EnqueueRequest ToRequest<T>(Expression<Func<T, Task>> call) => Parse(call, typeof(T));

    private static EnqueueRequest Parse(LambdaExpression lambda, Type? instanceType)
    {
        ArgumentNullException.ThrowIfNull(lambda);
        if (lambda.Body is not MethodCallExpression call)
        {
            throw Refuse($"'{Excerpt(lambda.Body)}' is not a method call. Enqueue one call of a task method, e.g. () => Jobs.Bark(\"Rex\", 2).");
        }

        var method = call.Method;
        var type = KallableType(lambda, call, instanceType);
        if (method.IsGenericMethod || type.IsGenericType)
        {
            throw Refuse($"{method.Name} is generic; a kallable names no type arguments. Add a non-generic method that calls it.");
        }

        if (!method.IsPublic || !type.IsVisible)
        {
            throw Refuse($"{type.Name}.{method.Name} is not public: carrotd runs only public methods of public types.");
        }

        var kallable = KallableName.Parse($"{type.FullName}.{method.Name}").ToString();
        var parameters = method.GetParameters();
        var values = new List<(ParameterInfo Parameter, object? Value)>();
        for (var i = 0; i < parameters.Length; i++)
        {
            if (parameters[i].ParameterType == typeof(CancellationToken) || parameters[i].ParameterType == typeof(TaskContext))
            {
                continue;
            }

            values.Add((parameters[i], Read(call.Arguments[i], parameters[i])));
        }

        return Encode(kallable, type, method, values);
    }

    /// <summary>Static: the declaring type. Instance: the lambda's parameter type, which carrotd creates.</summary>
    private static Type KallableType(LambdaExpression lambda, MethodCallExpression call, Type? instanceType)
    {
        var method = call.Method;
        if (call.Object is null)
        {
            return method.DeclaringType!;
        }

        if (instanceType is null || call.Object != lambda.Parameters[0])
        {
            throw Refuse($"'{Excerpt(call)}' calls {method.Name} on an object of yours, but carrotd creates its own instance. Write EnqueueAsync<{method.DeclaringType!.Name}>(x => x.{method.Name}(…)).");
        }

        if (method.DeclaringType != instanceType)
        {
            throw Refuse($"{method.Name} is declared on {method.DeclaringType!.Name}, not on {instanceType.Name}; a kallable names the type that declares its method.");
        }

        return instanceType;
    }

    /// <summary>The first encoding whose binding, as carrotd binds, picks <paramref name="method"/>: by position (short, then full), then by name.</summary>
    private static EnqueueRequest Encode(string kallable, Type type, MethodInfo method, List<(ParameterInfo Parameter, object? Value)> values)
    {
        // The catalogue's overload set for a kallable (KallableCatalog.Resolve): public methods of that name declared on the type.
        var overloads = type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => m.Name == method.Name && !m.IsSpecialName)
            .ToList();
        var target = new KallableTarget(kallable, type, overloads);
        var shortened = values.Count;
        while (shortened > 0 && IsDefault(values[shortened - 1]))
        {
            shortened--;
        }

        var candidates = new List<(string Args, string Kwargs)>
        {
            (JsonSerializer.Serialize(values.Take(shortened).Select(v => v.Value).ToArray()), "{}"),
            (JsonSerializer.Serialize(values.Select(v => v.Value).ToArray()), "{}"),
            ("[]", JsonSerializer.Serialize(values.ToDictionary(v => v.Parameter.Name!, v => v.Value))),
        };
        string? problem = null;
        foreach (var (args, kwargs) in candidates.Distinct())
        {
            try
            {
                var bound = ArgumentBinder.Bind(target, args, kwargs).Method;
                if (bound == method)
                {
                    return new EnqueueRequest { Kallable = kallable, Args = args, Kwargs = kwargs };
                }

                problem ??= $"carrotd would run {ArgumentBinder.Signature(bound)} instead";
            }
            catch (CarrotInputException e)
            {
                problem ??= e.Message;
            }
        }

        throw Refuse($"{kallable}: carrotd picks the overload from the JSON arguments alone, and these do not pick {ArgumentBinder.Signature(method)}: {problem} Give the overloads different names or parameter names.");
    }

    private static bool IsDefault((ParameterInfo Parameter, object? Value) value) =>
        value.Parameter.HasDefaultValue && Equals(value.Parameter.DefaultValue, value.Value);

    /// <summary>Reads an argument now, if it is a value: a constant, a captured variable, a field or property of one, a static one, a conversion or an array of such.</summary>
    private static object? Read(Expression argument, ParameterInfo parameter)
    {
        if (!IsValue(argument))
        {
            throw Refuse($"the argument for '{parameter.Name}' is '{Excerpt(argument)}'. Arguments must be constants or captured values: compute it into a variable first, then pass the variable.");
        }

        try
        {
            return argument is ConstantExpression constant
                ? constant.Value
                : Expression.Lambda<Func<object?>>(Expression.Convert(argument, typeof(object))).Compile(preferInterpretation: true)();
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException or TargetInvocationException or InvalidCastException)
        {
            throw Refuse($"the argument for '{parameter.Name}' ('{Excerpt(argument)}') could not be read: {e.Message}");
        }
    }

    private static bool IsValue(Expression expression) => expression switch
    {
        ConstantExpression => true,
        MemberExpression member => member.Member is FieldInfo or PropertyInfo && (member.Expression is null || IsValue(member.Expression)),
        UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked or ExpressionType.TypeAs } unary => IsValue(unary.Operand),
        NewArrayExpression { NodeType: ExpressionType.NewArrayInit } array => array.Expressions.All(IsValue),
        _ => false,
    };

    private static string Excerpt(Expression expression)
    {
        var text = expression.ToString();
        return text.Length <= ExcerptLength ? text : text[..ExcerptLength] + "…";
    }

    private static CarrotInputException Refuse(string reason) => new($"Cannot enqueue this expression: {reason}");
}

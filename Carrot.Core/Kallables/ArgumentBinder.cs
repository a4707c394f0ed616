using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Carrot.Errors;
using Carrot.Tasks;

namespace Carrot.Kallables;

/// <summary>
/// Chooses the overload that the given args (positional) and kwargs (by parameter name) fit, and converts each
/// value with System.Text.Json. Parameters of type <c>CancellationToken</c> and <c>TaskContext</c> are injected,
/// optional parameters take their defaults. No fit, or two equally good fits, is an error that says why.
/// </summary>
internal static class ArgumentBinder
{
    private static readonly TaskJsonOptions ConvertOptions = new(() => new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.Strict,
        MaxDepth = JsonArguments.MaxDepth,
    });

    public static BoundCall Bind(KallableTarget target, string argsJson, string kwargsJson)
    {
        List<JsonElement> args;
        Dictionary<string, JsonElement> kwargs;
        try
        {
            args = JsonArguments.ParseElement(argsJson).EnumerateArray().ToList();
            kwargs = JsonArguments.ParseElement(kwargsJson).EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            // Rows written by hand may hold anything; the CLI's checks never let such args through.
            throw new CarrotInputException($"The stored args/kwargs of {target.Name} are not a JSON array and an object without duplicate names: {e.Message}");
        }

        var fits = new List<(BoundCall Call, int Score, int Defaulted)>();
        var misfits = new List<string>();
        foreach (var method in target.Overloads)
        {
            var attempt = TryBind(method, args, kwargs);
            if (attempt.Error is null)
            {
                fits.Add((attempt.Call!, attempt.Score, attempt.Defaulted));
            }
            else
            {
                misfits.Add(target.Overloads.Count == 1 ? attempt.Error : $"{Signature(method)}: {attempt.Error}");
            }
        }

        if (fits.Count == 0)
        {
            throw new CarrotInputException(target.Overloads.Count == 1
                ? $"Arguments do not fit {target.Name}{ParameterList(target.Overloads[0])}: {misfits[0]}"
                : $"No overload of {target.Name} fits these arguments. {string.Join(" | ", misfits)}");
        }

        var best = fits.OrderByDescending(f => f.Score).ThenBy(f => f.Defaulted).ToList();
        if (best.Count > 1 && best[0].Score == best[1].Score && best[0].Defaulted == best[1].Defaulted)
        {
            var tied = best.TakeWhile(f => f.Score == best[0].Score && f.Defaulted == best[0].Defaulted).Select(f => Signature(f.Call.Method));
            throw new CarrotInputException($"Ambiguous call to {target.Name}: these overloads fit equally well: {string.Join(", ", tied)}. Pass arguments by name (kwargs) or with JSON types that tell them apart.");
        }

        return best[0].Call;
    }

    public static string Signature(MethodInfo method) => $"{method.Name}{ParameterList(method)}";

    private static string ParameterList(MethodInfo method) =>
        "(" + string.Join(", ", method.GetParameters().Select(p => $"{TypeName(p.ParameterType)} {p.Name}{(p.HasDefaultValue ? " = " + (p.DefaultValue ?? "null") : "")}")) + ")";

    private static string TypeName(Type type) =>
        Nullable.GetUnderlyingType(type) is { } inner ? TypeName(inner) + "?" :
        type.IsGenericType ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>" :
        type.Name;

    private static (BoundCall? Call, int Score, int Defaulted, string? Error) TryBind(MethodInfo method, List<JsonElement> args, Dictionary<string, JsonElement> kwargs)
    {
        var parameters = method.GetParameters();
        var takes = parameters.Count(p => p.ParameterType != typeof(CancellationToken) && p.ParameterType != typeof(TaskContext));
        if (args.Count > takes)
        {
            return Fail($"takes {takes} argument(s), got {args.Count} positional");
        }

        var values = new object?[parameters.Length];
        var tokenSlots = new List<int>();
        var contextSlots = new List<int>();
        var usedKwargs = new HashSet<string>(StringComparer.Ordinal);
        var position = 0;
        var score = 0;
        var defaulted = 0;

        for (var i = 0; i < parameters.Length; i++)
        {
            var parameter = parameters[i];
            var type = parameter.ParameterType;
            if (type.IsByRef || type.IsPointer)
            {
                return Fail($"parameter '{parameter.Name}' is ref/out/pointer, which a task cannot take");
            }

            if (type == typeof(CancellationToken))
            {
                tokenSlots.Add(i);
                continue;
            }

            if (type == typeof(TaskContext))
            {
                contextSlots.Add(i);
                continue;
            }

            JsonElement value;
            var byName = FindKwarg(kwargs, parameter.Name!);
            if (position < args.Count)
            {
                if (byName is not null)
                {
                    return Fail($"'{parameter.Name}' is given both by position and by name");
                }

                value = args[position++];
            }
            else if (byName is not null)
            {
                usedKwargs.Add(byName);
                value = kwargs[byName];
            }
            else if (parameter.HasDefaultValue || parameter.IsOptional)
            {
                values[i] = parameter.HasDefaultValue && parameter.DefaultValue is not DBNull ? parameter.DefaultValue : DefaultOf(type);
                defaulted++;
                continue;
            }
            else
            {
                return Fail($"missing a value for '{parameter.Name}' ({TypeName(type)})");
            }

            var (converted, error) = Convert(parameter, value);
            if (error is not null)
            {
                return Fail(error);
            }

            values[i] = converted;
            score += NaturalFit(value.ValueKind, type) ? 1 : 0;
        }

        var unknown = kwargs.Keys.Where(k => !usedKwargs.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            return Fail($"no parameter named {string.Join(", ", unknown.Select(k => $"'{InputEcho.Shorten(k)}'"))}");
        }

        return (new BoundCall(method, values, tokenSlots, contextSlots), score, defaulted, null);

        static (BoundCall?, int, int, string?) Fail(string error) => (null, 0, 0, error);
    }

    private static string? FindKwarg(Dictionary<string, JsonElement> kwargs, string name)
    {
        if (kwargs.ContainsKey(name))
        {
            return name;
        }

        var matches = kwargs.Keys.Where(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count == 1 ? matches[0] : null;
    }

    private static (object? Value, string? Error) Convert(ParameterInfo parameter, JsonElement value)
    {
        var type = parameter.ParameterType;
        if (value.ValueKind == JsonValueKind.Null && !type.IsValueType && !IsNullable(parameter))
        {
            return (null, $"'{parameter.Name}' ({TypeName(type)}) does not accept null");
        }

        try
        {
            return (value.Deserialize(type, ConvertOptions.For(type)), null);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            return (null, $"'{parameter.Name}' ({TypeName(type)}) cannot take {Excerpt(value)}");
        }
    }

    private static bool IsNullable(ParameterInfo parameter) =>
        new NullabilityInfoContext().Create(parameter).WriteState != NullabilityState.NotNull;

    private static string Excerpt(JsonElement value) => InputEcho.Shorten(value.GetRawText(), 40);

    // Used only to rank overloads that all accept the value: a JSON number fits an int better than a string does.
    private static bool NaturalFit(JsonValueKind kind, Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return kind switch
        {
            JsonValueKind.Number => type.IsPrimitive && type != typeof(bool) && type != typeof(char) || type == typeof(decimal),
            JsonValueKind.String => type == typeof(string) || type == typeof(char) || type.IsEnum || type == typeof(Guid) || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(TimeSpan),
            JsonValueKind.True or JsonValueKind.False => type == typeof(bool),
            JsonValueKind.Array => type.IsArray || type != typeof(string) && typeof(System.Collections.IEnumerable).IsAssignableFrom(type),
            JsonValueKind.Object => !type.IsPrimitive && type != typeof(string),
            _ => true,
        };
    }

    private static object? DefaultOf(Type type) => type.IsValueType ? Activator.CreateInstance(type) : null;
}

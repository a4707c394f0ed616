using System.Reflection;
using System.Text.Json;

namespace Carrot.Kallables;

/// <summary>Awaits whatever a kallable returned (void, T, Task, Task&lt;T&gt;, ValueTask, ValueTask&lt;T&gt;) and stores the value as JSON.</summary>
internal static class ReturnValues
{
    /// <summary>maxResultChars when the caller does not pass the configured value.</summary>
    public static readonly int DefaultMaxResultChars = new Configuration.CarrotOptions().MaxResultChars;

    // Per task assembly, so that a reloaded assembly's types are not kept alive by the metadata cache.
    private static readonly TaskJsonOptions Options = new(() => new JsonSerializerOptions(JsonSerializerDefaults.Web) { MaxDepth = 64 });

    public static async Task<object?> AwaitAsync(Type declaredType, object? returned)
    {
        var task = returned switch
        {
            Task t => t,
            not null when declaredType.IsGenericType && declaredType.GetGenericTypeDefinition() == typeof(ValueTask<>) => (Task)declaredType.GetMethod(nameof(ValueTask<int>.AsTask))!.Invoke(returned, null)!,
            ValueTask vt => vt.AsTask(),
            _ => null,
        };
        if (task is null)
        {
            return returned;
        }

        await task;
        var hasValue = declaredType.IsGenericType && (declaredType.GetGenericTypeDefinition() == typeof(Task<>) || declaredType.GetGenericTypeDefinition() == typeof(ValueTask<>));

        // The task has completed; reading Result does not block.
        return hasValue ? task.GetType().GetProperty("Result", BindingFlags.Public | BindingFlags.Instance)!.GetValue(task) : null;
    }

    public static (string? Json, string? Problem) Serialize(object? value) => Serialize(value, DefaultMaxResultChars);

    /// <summary>
    /// The value as JSON, or null with a reason when it cannot be stored: it does not serialize, or its JSON is
    /// longer than <paramref name="maxChars"/> (maxResultChars; a cut JSON would not be JSON, so it is not stored at all).
    /// </summary>
    public static (string? Json, string? Problem) Serialize(object? value, int maxChars)
    {
        if (value is null)
        {
            return (null, null);
        }

        try
        {
            var json = JsonSerializer.Serialize(value, value.GetType(), Options.For(value.GetType()));
            return json.Length > maxChars
                ? (null, $"The result ({json.Length:N0} characters of JSON) is over the {maxChars:N0} limit (maxResultChars) and was not stored. Store large results elsewhere and return a reference.")
                : (json, null);
        }
        catch (Exception e)
        {
            // Whatever a getter throws, the task itself succeeded; only its result is lost.
            return (null, $"The result of type {value.GetType().FullName} could not be stored as JSON: {e.Message}");
        }
    }
}

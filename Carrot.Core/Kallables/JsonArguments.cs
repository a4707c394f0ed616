using System.Text;
using System.Text.Json;
using Carrot.Errors;

namespace Carrot.Kallables;

/// <summary>
/// Checks args and kwargs before anything is written: valid JSON, the right shape (an array, an object), within
/// the size and nesting limits. Returns them in compact form.
/// </summary>
internal static class JsonArguments
{
    public const int MaxDepth = 64;

    public static (string Args, string Kwargs) Normalize(string? args, string? kwargs, int maxBytes)
    {
        var argsText = string.IsNullOrWhiteSpace(args) ? "[]" : args;
        var kwargsText = string.IsNullOrWhiteSpace(kwargs) ? "{}" : kwargs;
        var size = Encoding.UTF8.GetByteCount(argsText) + Encoding.UTF8.GetByteCount(kwargsText);
        if (size > maxBytes)
        {
            throw new CarrotInputException($"args and kwargs together are {size:N0} bytes, over the limit of {maxBytes:N0}. Pass a reference (a path, a URL, a row id) instead of the data, or raise maxArgumentBytes.");
        }

        return (Parse("args", argsText, JsonValueKind.Array, """["Rex", 3]"""), Parse("kwargs", kwargsText, JsonValueKind.Object, """{"times": 3}"""));
    }

    public static JsonElement ParseElement(string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxDepth, AllowDuplicateProperties = false });
        return document.RootElement.Clone();
    }

    private static string Parse(string what, string text, JsonValueKind expected, string example)
    {
        JsonElement element;
        try
        {
            element = ParseElement(text);
        }
        catch (JsonException e) when (e.Message.Contains("maximum configured depth", StringComparison.OrdinalIgnoreCase))
        {
            throw new CarrotInputException($"{what} is nested deeper than {MaxDepth} levels. Flatten the data, or pass a reference to it.");
        }
        catch (JsonException e)
        {
            throw new CarrotInputException($"{what} is not valid JSON ({Describe(e)}): {Excerpt(text)}. Pass a JSON {Kind(expected)}, e.g. {example} (quote it for the shell).");
        }

        if (element.ValueKind != expected)
        {
            throw new CarrotInputException($"{what} must be a JSON {Kind(expected)}, e.g. {example}; got {Article(element.ValueKind)}.");
        }

        return JsonSerializer.Serialize(element);
    }

    private static string Describe(JsonException e) =>
        e.BytePositionInLine is { } position ? $"at character {position + 1}" : "unreadable";

    private static string Excerpt(string text) => InputEcho.Shorten(text, 40);

    private static string Kind(JsonValueKind kind) => kind == JsonValueKind.Array ? "array" : "object";

    private static string Article(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "something else",
    };
}

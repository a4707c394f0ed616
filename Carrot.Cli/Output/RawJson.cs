using System.Text.Json;

namespace Carrot.Cli.Output;

/// <summary>Args, kwargs and results are stored as JSON text; --json output embeds them as JSON, not as quoted strings.</summary>
internal static class RawJson
{
    public static JsonElement? Parse(string? text)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            // Not expected (Core stores valid JSON), but the output must stay valid JSON: keep it as a string.
            return JsonSerializer.SerializeToElement(text, CliJsonContext.Default.String);
        }
    }
}

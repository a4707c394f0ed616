using System.Globalization;
using System.Text.Json;

namespace Carrot.Monitor.Pages;

/// <summary>Text made safe for HTML, and the few formats every page shares.</summary>
internal static class Html
{
    public static string E(string? text) => System.Net.WebUtility.HtmlEncode(text ?? "");

    public static string Time(DateTimeOffset? at) =>
        at is { } t ? $"<time datetime=\"{t.UtcDateTime:O}\">{t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}</time>" : "<span class=\"none\">—</span>";

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Query(params (string Name, string? Value)[] parts) =>
        string.Join("&", parts.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{Uri.EscapeDataString(p.Name)}={Uri.EscapeDataString(p.Value!)}"));

    /// <summary>Stored JSON, indented for reading (as stored when it does not parse).</summary>
    public static string JsonBlock(string? json)
    {
        if (json is null)
        {
            return "<span class=\"none\">—</span>";
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            // Short values stay on one line; longer ones are indented for reading.
            var text = json.Length <= 80 ? JsonSerializer.Serialize(document.RootElement) : JsonSerializer.Serialize(document.RootElement, IndentedJson);
            return $"<pre class=\"json\">{E(text)}</pre>";
        }
        catch (JsonException)
        {
            return $"<pre class=\"json\">{E(json)}</pre>";
        }
    }

    public static string State(Carrot.Tasks.TaskState state)
    {
        var name = Carrot.Tasks.TaskStateNames.ToName(state);
        return $"<span class=\"state {name}\">{name}</span>";
    }

    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };
}

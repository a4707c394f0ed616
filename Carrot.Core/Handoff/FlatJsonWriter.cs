using System.Globalization;
using System.Text;

namespace Carrot.Handoff;

/// <summary>
/// Writes the hand-off's messages: one flat JSON object of numbers, booleans and strings. Utf8JsonWriter would cost a
/// CLI call ~6 ms on first use, half of it for the JavaScriptEncoder it builds as soon as a string holds a quote or a
/// line break (the arguments and the settings always do). JSON asks only that quotes, backslashes and control
/// characters be escaped; <see cref="HandoffCodec"/> reads the messages back with JsonDocument.
/// </summary>
internal sealed class FlatJsonWriter
{
    private readonly StringBuilder _json = new("{");

    public FlatJsonWriter Number(string name, long value)
    {
        Name(name).Append(value.ToString(CultureInfo.InvariantCulture));
        return this;
    }

    public FlatJsonWriter Boolean(string name, bool value)
    {
        Name(name).Append(value ? "true" : "false");
        return this;
    }

    /// <summary>Writes the string; a null one is left out, as readers take a missing field for null.</summary>
    public FlatJsonWriter String(string name, string? value)
    {
        if (value is not null)
        {
            Quoted(Name(name), value);
        }

        return this;
    }

    /// <summary>ISO 8601 with its offset, as <c>JsonElement.GetDateTimeOffset</c> reads it.</summary>
    public FlatJsonWriter Instant(string name, DateTimeOffset value) =>
        String(name, value.ToString("O", CultureInfo.InvariantCulture));

    public byte[] ToUtf8() => Encoding.UTF8.GetBytes(_json.Append('}').ToString());

    private StringBuilder Name(string name)
    {
        if (_json.Length > 1)
        {
            _json.Append(',');
        }

        return Quoted(_json, name).Append(':');
    }

    private static StringBuilder Quoted(StringBuilder json, string value)
    {
        json.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    json.Append("\\\"");
                    break;
                case '\\':
                    json.Append("\\\\");
                    break;
                case < ' ':
                    json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    json.Append(c);
                    break;
            }
        }

        return json.Append('"');
    }
}

using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Carrot.Cli.Output;

/// <summary>
/// Writes --json output to stdout: camelCase names, enums as lower-case strings (the names the CLI accepts,
/// e.g. "succeeded"), nulls kept so every object has the same shape. Metadata comes from the source generator,
/// which keeps startup free of reflection.
/// </summary>
internal sealed class JsonWriter(TextWriter stdout)
{
    private readonly JsonSerializerOptions _options = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = CliJsonContext.Default,
        WriteIndented = true,

        // Output goes to terminals and jq, never into HTML: keep '+' (nested types), quotes and non-ASCII readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
    };

    public void Write<T>(T value)
    {
        var typeInfo = (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)_options.GetTypeInfo(typeof(T));
        stdout.WriteLine(JsonSerializer.Serialize(value, typeInfo));
    }
}

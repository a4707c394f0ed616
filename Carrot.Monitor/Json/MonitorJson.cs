using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Carrot.Monitor.Json;

/// <summary>
/// The JSON API's settings: those of the CLI's --json (camelCase, states as their lower-case names, nulls kept so every
/// object has one shape), with the default encoder, which escapes what could matter inside HTML.
/// </summary>
internal static class MonitorJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
    };
}

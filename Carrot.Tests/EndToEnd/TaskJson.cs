using System.Text.Json;

namespace Carrot.Tests.EndToEnd;

/// <summary>Reads the CLI's --json output in assertions.</summary>
internal static class TaskJson
{
    public static JsonElement Parse(string stdout) => JsonDocument.Parse(stdout).RootElement.Clone();

    public static string State(JsonElement task) => task.GetProperty("state").GetString()!;
}

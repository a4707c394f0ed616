using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Carrot.Monitor.Endpoints;

/// <summary>The monitor's CSS and script, embedded in the assembly: nothing is loaded from anywhere else.</summary>
internal static class AssetEndpoints
{
    private static readonly Dictionary<string, (byte[] Bytes, string Type)> Assets = Load();

    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/assets/{name}", (string name, HttpContext http) =>
        {
            if (!Assets.TryGetValue(name, out var asset))
            {
                return Results.NotFound();
            }

            http.Response.Headers.CacheControl = "public, max-age=300";
            return Results.Bytes(asset.Bytes, asset.Type);
        });

    private static Dictionary<string, (byte[], string)> Load()
    {
        var assembly = typeof(AssetEndpoints).Assembly;
        var assets = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var (name, type) in new[] { ("monitor.css", "text/css; charset=utf-8"), ("monitor.js", "text/javascript; charset=utf-8") })
        {
            using var stream = assembly.GetManifestResourceStream("Carrot.Monitor.Assets." + name)
                ?? throw new InvalidOperationException($"The monitor's {name} is missing from its assembly.");
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            assets[name] = (memory.ToArray(), type);
        }

        return assets;
    }
}

using System.Text.Json;
using Carrot.Errors;
using Carrot.Records;

namespace Carrot.Cli.Parsing;

/// <summary>
/// Reads <c>enqueue --batch</c> input: one JSON object a line,
/// <c>{"kallable": "...", "args": [...], "kwargs": {...}, "worker": "...", "priority": n, "key": "..."}</c>, blank lines skipped.
/// Only the shape is checked here; the client checks the rest (kallable, binding, worker) before writing.
/// A problem is a <see cref="CarrotInputException"/> that starts with "line N:".
/// </summary>
internal static class BatchFileReader
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64, AllowDuplicateProperties = false };

    /// <summary>Reads a file, or standard input for "-".</summary>
    public static async Task<IReadOnlyList<BatchLine>> ReadAsync(string path, TextReader standardInput, CancellationToken cancellationToken)
    {
        if (path == "-")
        {
            return await ReadAsync(standardInput, cancellationToken);
        }

        try
        {
            using var reader = new StreamReader(path);
            return await ReadAsync(reader, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CarrotInputException($"Cannot read the batch file {path}: {e.Message}");
        }
    }

    public static async Task<IReadOnlyList<BatchLine>> ReadAsync(TextReader reader, CancellationToken cancellationToken)
    {
        var lines = new List<BatchLine>();
        var number = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } text)
        {
            number++;
            if (!string.IsNullOrWhiteSpace(text))
            {
                lines.Add(new BatchLine(number, Parse(text, number)));
            }
        }

        return lines;
    }

    public static EnqueueRequest Parse(string text, int number)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, Options);
        }
        catch (JsonException e)
        {
            throw Problem(number, $"not valid JSON ({e.Message.Split(" Path:", 2)[0].TrimEnd('.')}). Write one object a line, e.g. {{\"kallable\": \"MyLib.Jobs.Bark\", \"args\": [\"Rex\"]}}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Problem(number, $"expected a JSON object, got {root.ValueKind.ToString().ToLowerInvariant()}");
            }

            string? kallable = null, key = null;
            string args = "[]", kwargs = "{}", worker = WorkerRecord.DefaultName;
            var priority = 0;
            foreach (var property in root.EnumerateObject())
            {
                var value = property.Value;
                switch (property.Name)
                {
                    case "kallable" when value.ValueKind == JsonValueKind.String:
                        kallable = value.GetString();
                        break;
                    case "args" when value.ValueKind == JsonValueKind.Array:
                        args = value.GetRawText();
                        break;
                    case "kwargs" when value.ValueKind == JsonValueKind.Object:
                        kwargs = value.GetRawText();
                        break;
                    case "worker" when value.ValueKind == JsonValueKind.String:
                        worker = value.GetString()!;
                        break;
                    case "key" when value.ValueKind == JsonValueKind.String:
                        key = value.GetString();
                        break;
                    case "priority" when value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var p):
                        priority = p;
                        break;
                    case "kallable" or "worker" or "key":
                        throw Problem(number, $"\"{property.Name}\" must be a string");
                    case "args":
                        throw Problem(number, "\"args\" must be a JSON array, e.g. [\"Rex\", 3]");
                    case "kwargs":
                        throw Problem(number, "\"kwargs\" must be a JSON object, e.g. {\"times\": 3}");
                    case "priority":
                        throw Problem(number, "\"priority\" must be a whole number from 0 to 9");
                    default:
                        throw Problem(number, $"unknown property \"{InputEcho.Shorten(property.Name)}\"; use kallable, args, kwargs, worker, priority, key");
                }
            }

            if (string.IsNullOrWhiteSpace(kallable))
            {
                throw Problem(number, "\"kallable\" is missing, e.g. {\"kallable\": \"MyLib.Jobs.Bark\"}");
            }

            return new EnqueueRequest { Kallable = kallable, Args = args, Kwargs = kwargs, Worker = worker, Priority = priority, Key = key };
        }
    }

    private static CarrotInputException Problem(int number, string what) => new($"line {number}: {what}.");
}

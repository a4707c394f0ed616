namespace Carrot.Tests.Observability;

/// <summary>
/// The spans in OTLP/HTTP protobuf bodies (ExportTraceServiceRequest), read with just enough of the protobuf wire
/// format for the tests: per span its scope, name, ids, attribute keys and event names.
/// </summary>
internal static class OtlpSpans
{
    public static IReadOnlyList<OtlpSpan> Parse(IEnumerable<byte[]> bodies)
    {
        var spans = new List<OtlpSpan>();
        foreach (var body in bodies)
        {
            foreach (var resourceSpans in Fields(body).Where(f => f.Number == 1))
            {
                foreach (var scopeSpans in Fields(resourceSpans.Bytes).Where(f => f.Number == 2))
                {
                    var scopeFields = Fields(scopeSpans.Bytes).ToList();
                    var scope = scopeFields.Where(f => f.Number == 1).Select(f => Text(Fields(f.Bytes).FirstOrDefault(s => s.Number == 1).Bytes)).FirstOrDefault() ?? "";
                    spans.AddRange(scopeFields.Where(f => f.Number == 2).Select(f => Span(scope, f.Bytes ?? [])));
                }
            }
        }

        return spans;
    }

    private static OtlpSpan Span(string scope, byte[] bytes)
    {
        var fields = Fields(bytes).ToList();
        string Hex(int number) => Convert.ToHexString(fields.FirstOrDefault(f => f.Number == number).Bytes ?? []).ToLowerInvariant();
        return new OtlpSpan(
            scope,
            Text(fields.FirstOrDefault(f => f.Number == 5).Bytes),
            Hex(1),
            Hex(2),
            Hex(4),
            [.. fields.Where(f => f.Number == 9).Select(f => Text(Fields(f.Bytes).FirstOrDefault(k => k.Number == 1).Bytes))],
            [.. fields.Where(f => f.Number == 11).Select(f => Text(Fields(f.Bytes).FirstOrDefault(k => k.Number == 2).Bytes))]);
    }

    private static string Text(byte[]? bytes) => bytes is null ? "" : System.Text.Encoding.UTF8.GetString(bytes);

    /// <summary>The top-level fields of one message; only length-delimited ones carry bytes.</summary>
    private static IEnumerable<(int Number, byte[]? Bytes)> Fields(byte[]? message)
    {
        var at = 0;
        while (message is not null && at < message.Length)
        {
            var key = Varint(message, ref at);
            var number = (int)(key >> 3);
            switch ((int)(key & 7))
            {
                case 0:
                    Varint(message, ref at);
                    yield return (number, null);
                    break;
                case 1:
                    at += 8;
                    yield return (number, null);
                    break;
                case 2:
                    var length = (int)Varint(message, ref at);
                    yield return (number, message[at..(at + length)]);
                    at += length;
                    break;
                case 5:
                    at += 4;
                    yield return (number, null);
                    break;
                default:
                    throw new InvalidDataException($"Wire type {key & 7} is not one OTLP uses.");
            }
        }
    }

    private static ulong Varint(byte[] bytes, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = bytes[at++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }
}

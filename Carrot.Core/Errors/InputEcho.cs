namespace Carrot.Errors;

/// <summary>
/// The one way a message repeats what the user typed: short, on one line, with its real length said, so a
/// 6,000-character kallable or a pasted file never floods the terminal or the log.
/// </summary>
internal static class InputEcho
{
    public const int MaxChars = 80;

    public static string Shorten(string? text, int maxChars = MaxChars)
    {
        if (text is null)
        {
            return "";
        }

        var shown = text.Length <= maxChars ? text : text[..KeepWhole(text, maxChars)];
        var printable = string.Create(shown.Length, shown, static (span, source) =>
        {
            // Control characters (newlines, escape sequences) would break the one line or drive the terminal.
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });
        return text.Length <= maxChars ? printable : $"{printable}… ({text.Length:N0} characters)";
    }

    // Never split a surrogate pair: half a character is not valid text.
    private static int KeepWhole(string text, int keep) => keep > 0 && char.IsHighSurrogate(text[keep - 1]) ? keep - 1 : keep;
}

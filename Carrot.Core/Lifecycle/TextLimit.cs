namespace Carrot.Lifecycle;

/// <summary>Cuts a stored text to a size and says so in the text itself, so a reader never takes a cut text for the whole.</summary>
internal static class TextLimit
{
    public static string Truncate(string text, int maxChars)
    {
        if (text.Length <= maxChars)
        {
            return text;
        }

        var marker = $" … [cut to {maxChars:N0} of {text.Length:N0} characters]";
        var keep = Math.Max(maxChars - marker.Length, 0);
        // Never split a surrogate pair: half a character is not valid text.
        if (keep > 0 && char.IsHighSurrogate(text[keep - 1]))
        {
            keep--;
        }

        return string.Concat(text.AsSpan(0, keep), marker);
    }

    public static string? TruncateOrNull(string? text, int maxChars) => text is null ? null : Truncate(text, maxChars);
}

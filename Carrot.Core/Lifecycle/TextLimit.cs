namespace Carrot.Lifecycle;

/// <summary>Cuts a stored text to a size and says so in the text itself, so a reader never takes a cut text for the whole.</summary>
internal static class TextLimit
{
    public static string Truncate(string text, int maxChars) => text.Length <= maxChars ? text : Cut(text, text.Length, maxChars);

    public static string? TruncateOrNull(string? text, int maxChars) => text is null ? null : Truncate(text, maxChars);

    /// <summary>
    /// For text that streams in and was never held whole: <paramref name="start"/> is its beginning (at least
    /// <paramref name="maxChars"/> characters of it, when there were that many), <paramref name="length"/> its whole length.
    /// </summary>
    public static string Cut(ReadOnlySpan<char> start, long length, int maxChars)
    {
        if (length <= maxChars)
        {
            return start.ToString();
        }

        var marker = $" … [cut to {maxChars:N0} of {length:N0} characters]";
        var keep = Math.Min(Math.Max(maxChars - marker.Length, 0), start.Length);
        // Never split a surrogate pair: half a character is not valid text.
        if (keep > 0 && char.IsHighSurrogate(start[keep - 1]))
        {
            keep--;
        }

        return string.Concat(start[..keep], marker);
    }
}

namespace Carrot.Storage;

/// <summary>The database keeps times as Unix milliseconds, UTC: compact, indexable and portable to PostgreSQL's bigint.</summary>
internal static class UnixTime
{
    public static long ToMs(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromMs(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);

    public static DateTimeOffset? FromMs(long? value) => value is { } v ? FromMs(v) : null;
}

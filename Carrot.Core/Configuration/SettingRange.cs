namespace Carrot.Configuration;

/// <summary>
/// One numeric setting's allowed values: its key as written in the file, how to read it, and the range in words
/// for the message that refuses it. <paramref name="Minimum"/> may depend on another setting (leaseSeconds on
/// heartbeatSeconds), so it is read from the options too.
/// </summary>
internal sealed record SettingRange(string Key, Func<CarrotOptions, double> Read, Func<CarrotOptions, double> Minimum, double Maximum, Func<CarrotOptions, string> Allowed)
{
    public SettingRange(string key, Func<CarrotOptions, double> read, double minimum, double maximum, string allowed)
        : this(key, read, _ => minimum, maximum, _ => allowed)
    {
    }

    /// <summary>Whether the value is in range; NaN and infinities never are.</summary>
    public bool Accepts(CarrotOptions options) => Read(options) is var value && value >= Minimum(options) && value <= Maximum;
}

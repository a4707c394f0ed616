using Carrot.Errors;

namespace Carrot.Configuration;

/// <summary>A parsed AMQP URI. Only <see cref="Redacted"/> may be shown to people or written to logs.</summary>
public sealed class BrokerAddress
{
    private readonly string? _password;

    private BrokerAddress(Uri uri, string redacted, string? password)
    {
        Uri = uri;
        Redacted = redacted;
        _password = password;
    }

    /// <summary>The URI itself, password included: for connecting only, never for display.</summary>
    public Uri Uri { get; }

    /// <summary>The URI with its password replaced by <c>***</c>.</summary>
    public string Redacted { get; }

    /// <summary>Parses an <c>amqp://</c> or <c>amqps://</c> URI; throws <see cref="CarrotConfigurationException"/> (with the password hidden) when it is not one.</summary>
    public static BrokerAddress Parse(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != "amqp" && uri.Scheme != "amqps") || string.IsNullOrEmpty(uri.Host))
        {
            throw new CarrotConfigurationException($"The broker address '{RedactLoose(value)}' is not an AMQP URI. Use the form amqp://user:password@host:5672/vhost.");
        }

        var builder = new UriBuilder(uri);
        var password = string.IsNullOrEmpty(builder.Password) ? null : Uri.UnescapeDataString(builder.Password);
        if (password is not null)
        {
            builder.Password = "***";
        }

        return new BrokerAddress(uri, builder.Uri.ToString(), password);
    }

    /// <summary>Removes the password from text that came back from the client library, in case it ever echoes it.</summary>
    public string Scrub(string text)
    {
        if (_password is null)
        {
            return text;
        }

        var encoded = new UriBuilder(Uri).Password;
        return text.Replace(Uri.OriginalString, Redacted, StringComparison.Ordinal)
            .Replace(Uri.ToString(), Redacted, StringComparison.Ordinal)
            .Replace(_password, "***", StringComparison.Ordinal)
            .Replace(encoded, "***", StringComparison.Ordinal);
    }

    /// <summary>The redacted form, so that an address printed by accident shows no password.</summary>
    public override string ToString() => Redacted;

    // For text that did not even parse as a URI: whatever sits between the first ':' after the scheme
    // (or the start) and the last '@' may be a password.
    private static string RedactLoose(string value)
    {
        var at = value.LastIndexOf('@');
        if (at < 0)
        {
            return value;
        }

        var scheme = value.IndexOf("//", StringComparison.Ordinal);
        var userStart = scheme >= 0 && scheme < at ? scheme + 2 : 0;
        var colon = value.IndexOf(':', userStart);
        return colon >= 0 && colon < at ? string.Concat(value.AsSpan(0, colon + 1), "***", value.AsSpan(at)) : "***" + value[at..];
    }
}

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

    public Uri Uri { get; }

    /// <summary>The URI with its password replaced by <c>***</c>.</summary>
    public string Redacted { get; }

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
    public string Scrub(string text) =>
        _password is null ? text : text.Replace(_password, "***", StringComparison.Ordinal).Replace(Uri.ToString(), Redacted, StringComparison.Ordinal);

    public override string ToString() => Redacted;

    // For text that did not even parse as a URI: hide whatever sits between "://user:" and "@".
    private static string RedactLoose(string value)
    {
        var scheme = value.IndexOf("://", StringComparison.Ordinal);
        var at = value.LastIndexOf('@');
        if (scheme < 0 || at < scheme)
        {
            return value;
        }

        var colon = value.IndexOf(':', scheme + 3);
        return colon > 0 && colon < at ? string.Concat(value.AsSpan(0, colon + 1), "***", value.AsSpan(at)) : value;
    }
}

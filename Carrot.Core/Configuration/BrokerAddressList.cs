using Carrot.Errors;

namespace Carrot.Configuration;

/// <summary>
/// The broker setting: one AMQP URI, or several (the nodes of one RabbitMQ cluster), comma-separated. The client
/// logs in to whichever node it reaches with one set of credentials, so every address must name the same user,
/// password, virtual host and scheme. Only <see cref="Redacted"/> may be shown to people or written to logs.
/// </summary>
public sealed class BrokerAddressList
{
    private BrokerAddressList(IReadOnlyList<BrokerAddress> addresses)
    {
        Addresses = addresses;
        Redacted = string.Join(", ", addresses.Select(a => a.Redacted));
    }

    /// <summary>The nodes, in the order given (the client picks among them at random, then tries the others).</summary>
    public IReadOnlyList<BrokerAddress> Addresses { get; }

    /// <summary>The first address: its user, password, virtual host and scheme are every address's.</summary>
    public BrokerAddress First => Addresses[0];

    /// <summary>The virtual host, unescaped; <c>/</c> when the URI names none.</summary>
    public string VirtualHost => VirtualHostOf(First);

    /// <summary>Every address with its password replaced by <c>***</c>, joined by ", ".</summary>
    public string Redacted { get; }

    /// <summary>
    /// Parses one URI or a comma-separated list of them; throws <see cref="CarrotConfigurationException"/> (passwords
    /// hidden) for an empty entry, a URI that is not AMQP, the same node twice, or addresses that log in differently.
    /// </summary>
    public static BrokerAddressList Parse(string value)
    {
        var entries = value.Split(',', StringSplitOptions.TrimEntries);
        if (entries.All(e => e.Length == 0))
        {
            throw new CarrotConfigurationException("No broker address is configured. Set \"broker\" to amqp://user:password@host:5672/vhost, or to a list of such URIs for a cluster.");
        }

        var addresses = new List<BrokerAddress>(entries.Length);
        foreach (var entry in entries)
        {
            if (entry.Length == 0)
            {
                throw new CarrotConfigurationException($"The broker list has an empty entry ({entries.Length} entries, comma-separated). Remove the extra comma.");
            }

            addresses.Add(BrokerAddress.Parse(entry));
        }

        var first = addresses[0];
        foreach (var other in addresses.Skip(1))
        {
            if (Difference(first, other) is { } what)
            {
                throw new CarrotConfigurationException(
                    $"The broker addresses {first.Redacted} and {other.Redacted} differ in their {what}; every node of the list must be reached with the same user, password, virtual host and scheme. Give all of them the same.");
            }
        }

        var twice = addresses.GroupBy(a => $"{a.Uri.Host.ToLowerInvariant()}:{a.Uri.Port}").FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw new CarrotConfigurationException($"The broker list names {twice.First().Redacted} twice. List each node once.");
        }

        return new BrokerAddressList(addresses);
    }

    /// <summary>Removes every address's password from text that came back from the client library.</summary>
    public string Scrub(string text) => Addresses.Aggregate(text, (current, address) => address.Scrub(current));

    /// <summary>The redacted form, so that a list printed by accident shows no password.</summary>
    public override string ToString() => Redacted;

    private static string? Difference(BrokerAddress a, BrokerAddress b)
    {
        if (!string.Equals(a.Uri.Scheme, b.Uri.Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return "scheme (amqp or amqps)";
        }

        var (userA, passwordA) = Credentials(a);
        var (userB, passwordB) = Credentials(b);
        if (!string.Equals(userA, userB, StringComparison.Ordinal))
        {
            return "user";
        }

        if (!string.Equals(passwordA, passwordB, StringComparison.Ordinal))
        {
            return "password";
        }

        return string.Equals(VirtualHostOf(a), VirtualHostOf(b), StringComparison.Ordinal) ? null : "virtual host";
    }

    private static (string User, string? Password) Credentials(BrokerAddress address)
    {
        var info = address.Uri.UserInfo;
        var colon = info.IndexOf(':', StringComparison.Ordinal);
        return colon < 0
            ? (Uri.UnescapeDataString(info), null)
            : (Uri.UnescapeDataString(info[..colon]), Uri.UnescapeDataString(info[(colon + 1)..]));
    }

    // As RabbitMQ.Client reads it: no path, or "/", is the default virtual host "/".
    private static string VirtualHostOf(BrokerAddress address)
    {
        var path = address.Uri.AbsolutePath.TrimStart('/');
        return path.Length == 0 ? "/" : Uri.UnescapeDataString(path);
    }
}

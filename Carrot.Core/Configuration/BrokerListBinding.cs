using Carrot.Errors;
using Microsoft.Extensions.Configuration;

namespace Carrot.Configuration;

/// <summary>
/// "broker" in a file or a configuration section may be one URI or a JSON list of them (a cluster's nodes). The
/// binder fills a string from a single value only, so a list is read here and kept as the comma-separated form
/// that <c>CARROT_BROKER</c> takes too.
/// </summary>
internal static class BrokerListBinding
{
    private const string Key = "broker";

    public static void Apply(IConfiguration configuration, CarrotOptions options, string where)
    {
        var section = configuration.GetSection(Key);
        var entries = section.GetChildren().ToList();
        if (entries.Count == 0)
        {
            return;
        }

        if (entries.Any(e => e.Value is null))
        {
            throw new CarrotConfigurationException($"\"{Key}\" in {where} holds something other than URIs; give one URI, or a list of URIs such as [\"amqp://user:password@rmq1:5672/\", \"amqp://user:password@rmq2:5672/\"].");
        }

        // The JSON provider names array items 0, 1, … 10: keep the file's order.
        options.Broker = string.Join(',', entries.OrderBy(e => int.TryParse(e.Key, out var i) ? i : int.MaxValue).Select(e => e.Value));
    }
}

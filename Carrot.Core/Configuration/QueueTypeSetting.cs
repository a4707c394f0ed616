using Carrot.Errors;

namespace Carrot.Configuration;

/// <summary>Reads the <c>queueType</c> setting (<c>classic</c> or <c>quorum</c>, any case) for the options and the variable alike.</summary>
internal static class QueueTypeSetting
{
    public const string Key = "queueType";

    public const string Classic = "classic";

    public const string Quorum = "quorum";

    public static bool TryParse(string? value, out BrokerQueueType type)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case Classic:
                type = BrokerQueueType.Classic;
                return true;
            case Quorum:
                type = BrokerQueueType.Quorum;
                return true;
            default:
                type = default;
                return false;
        }
    }

    /// <summary>The options' queue type; the options were validated when read, so anything else is a caller's bug.</summary>
    public static BrokerQueueType Of(CarrotOptions options) =>
        TryParse(options.QueueType, out var type) ? type : throw Refuse($"\"{Key}\" in {options.Source}", options.QueueType);

    public static CarrotConfigurationException Refuse(string where, string? value) =>
        new($"{where} is '{InputEcho.Shorten(value ?? "")}'; it must be {Classic} (the default; one node holds each queue, priorities 0-9) or {Quorum} (replicated over a RabbitMQ cluster, no priorities).");

    public static string Name(BrokerQueueType type) => type == BrokerQueueType.Quorum ? Quorum : Classic;
}

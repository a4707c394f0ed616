namespace Carrot.Errors;

/// <summary>RabbitMQ could not be reached or did not confirm. The message never includes the broker password.</summary>
public sealed class BrokerUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

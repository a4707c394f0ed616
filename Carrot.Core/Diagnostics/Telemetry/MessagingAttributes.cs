namespace Carrot.Diagnostics.Telemetry;

/// <summary>
/// Span and metric attribute names: OpenTelemetry's messaging semantic conventions (v1.37, RabbitMQ) where they
/// have one, <c>carrot.*</c> for what is Carrot's own.
/// </summary>
internal static class MessagingAttributes
{
    public const string System = "messaging.system";
    public const string SystemValue = "rabbitmq";
    public const string OperationType = "messaging.operation.type";
    public const string OperationName = "messaging.operation.name";
    public const string DestinationName = "messaging.destination.name";
    public const string RoutingKey = "messaging.rabbitmq.destination.routing_key";
    public const string MessageId = "messaging.message.id";
    public const string BatchCount = "messaging.batch.message_count";
    public const string ErrorType = "error.type";

    public const string TaskId = "carrot.task.id";
    public const string Kallable = "carrot.task.kallable";
    public const string Worker = "carrot.worker";
    public const string Attempt = "carrot.task.attempt";
    public const string Outcome = "carrot.task.outcome";
    public const string RescueReason = "carrot.rescue.reason";

    /// <summary>The AMQP header that carries the producer's W3C trace context, as the W3C AMQP draft names it.</summary>
    public const string TraceParentHeader = "traceparent";
}

using Carrot.Errors;

namespace Carrot.Handoff;

/// <summary>Why carrotd did not enqueue: the kind of error the caller would have met itself, and its message.</summary>
internal sealed record HandoffFailure(HandoffFailureKind Kind, string Message)
{
    /// <summary>carrotd's side: the error an enqueue threw, as it crosses the socket.</summary>
    public static HandoffFailure From(Exception exception) => exception switch
    {
        CarrotInputException => new(HandoffFailureKind.Input, exception.Message),
        CarrotConfigurationException => new(HandoffFailureKind.Configuration, exception.Message),
        CarrotStoreException => new(HandoffFailureKind.Store, exception.Message),
        BrokerUnavailableException => new(HandoffFailureKind.Broker, exception.Message),
        TimeoutException => new(HandoffFailureKind.Timeout, exception.Message),
        _ => new(HandoffFailureKind.Unexpected, $"carrotd met an unexpected {exception.GetType().FullName} while enqueueing: {exception.Message}"),
    };

    /// <summary>The caller's side: the same class of error, so that it is reported (message, exit code) as if met here.</summary>
    public Exception ToException() => Kind switch
    {
        HandoffFailureKind.Input => new CarrotInputException(Message),
        HandoffFailureKind.Configuration => new CarrotConfigurationException(Message),
        HandoffFailureKind.Store => new CarrotStoreException(Message),
        HandoffFailureKind.Broker => new BrokerUnavailableException(Message),
        HandoffFailureKind.Timeout => new TimeoutException(Message),
        _ => new InvalidOperationException(Message),
    };
}

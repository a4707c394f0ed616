namespace Carrot.Tasks;

/// <summary>
/// Thrown by a task to fail for good: the attempt is recorded as failed and no retry is scheduled, whatever
/// retries are left. For errors a retry cannot fix (bad input, a record that no longer exists).
/// </summary>
public class DoNotRetryException : Exception
{
    /// <summary>Fails the task for good, with the default message.</summary>
    public DoNotRetryException()
    {
    }

    /// <summary>Fails the task for good with <paramref name="message"/> as its error.</summary>
    public DoNotRetryException(string message)
        : base(message)
    {
    }

    /// <summary>Fails the task for good with <paramref name="message"/>, keeping the exception that caused it.</summary>
    public DoNotRetryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

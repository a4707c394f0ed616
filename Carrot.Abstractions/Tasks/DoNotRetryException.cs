namespace Carrot.Tasks;

/// <summary>
/// Thrown by a task to fail for good: the attempt is recorded as failed and no retry is scheduled, whatever
/// retries are left. For errors a retry cannot fix (bad input, a record that no longer exists).
/// </summary>
public class DoNotRetryException : Exception
{
    public DoNotRetryException()
    {
    }

    public DoNotRetryException(string message)
        : base(message)
    {
    }

    public DoNotRetryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

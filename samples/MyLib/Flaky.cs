using Carrot.Tasks;

namespace MyLib;

/// <summary>Tasks that fail on purpose, to show retries, timeouts and cancellation.</summary>
public static class Flaky
{
    /// <summary>Fails every attempt before <paramref name="succeedOnAttempt"/>, then returns the attempt that worked.</summary>
    public static int SucceedOnAttempt(int succeedOnAttempt, TaskContext context)
    {
        if (context.Attempt < succeedOnAttempt)
        {
            throw new InvalidOperationException($"Attempt {context.Attempt} fails on purpose (succeeds on {succeedOnAttempt}).");
        }

        return context.Attempt;
    }

    /// <summary>Fails for good: no retry, whatever retries are left.</summary>
    public static void Reject(string reason) => throw new DoNotRetryException(reason);

    /// <summary>Never retried, by its attribute.</summary>
    [CarrotTask(MaxRetries = 0)]
    public static void FailOnce() => throw new InvalidOperationException("Fails on purpose; its [CarrotTask] allows no retry.");

    /// <summary>Sleeps far past its attribute's timeout, observing the token.</summary>
    [CarrotTask(TimeoutSeconds = 1, MaxRetries = 0)]
    public static Task SlowerThanItsTimeout(CancellationToken cancellationToken) => Task.Delay(TimeSpan.FromMinutes(5), cancellationToken);
}

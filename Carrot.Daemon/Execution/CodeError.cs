namespace Carrot.Daemon.Execution;

/// <summary>What a task threw, as either host reports it (a runner sends it over its pipe, so not as an exception).</summary>
internal sealed record CodeError(string Type, string Message, string StackTrace, bool DoNotRetry, bool IsCancellation)
{
    public static CodeError From(Exception error) =>
        new(error.GetType().FullName ?? error.GetType().Name, error.Message, error.ToString(), error is Tasks.DoNotRetryException, error is OperationCanceledException);
}

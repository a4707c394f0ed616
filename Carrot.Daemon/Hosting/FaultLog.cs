using Carrot.Errors;
using Carrot.Lifecycle;

namespace Carrot.Daemon.Hosting;

/// <summary>
/// How a part of the daemon that keeps going after an error says so: one line when a problem starts or changes,
/// nothing while it persists, one line when it is over; the stack trace of an unexpected error at most once in the
/// daemon part's life. Errors the daemon expects (the database or the broker is unavailable) never carry a trace.
/// Not thread-safe: each loop owns its own.
/// </summary>
internal sealed class FaultLog(Serilog.ILogger logger, string what)
{
    // A message can be as long as whatever threw it; the journal gets the start of it.
    private const int MaxReasonChars = 1000;

    private string? _lastProblem;
    private bool _traceShown;
    private int _failures;

    public bool IsFailing => _failures > 0;

    public void Failed(Exception error, TimeSpan retryIn)
    {
        _failures++;
        var expected = IsExpected(error);
        var reason = Reason(error);
        if (reason == _lastProblem)
        {
            return;
        }

        _lastProblem = reason;
        var seconds = Math.Round(retryIn.TotalSeconds, 1);
        if (expected)
        {
            logger.Warning("{What} failed, will retry in {Seconds} s: {Reason}", what, seconds, reason);
        }
        else if (!_traceShown)
        {
            _traceShown = true;
            logger.Error(error, "{What} failed unexpectedly, will retry in {Seconds} s: {Reason}", what, seconds, reason);
        }
        else
        {
            logger.Error("{What} failed unexpectedly, will retry in {Seconds} s: {Reason}", what, seconds, reason);
        }
    }

    public void Succeeded()
    {
        if (_failures == 0)
        {
            return;
        }

        logger.Information("{What} works again after {Failures} failed attempt(s)", what, _failures);
        _failures = 0;
        _lastProblem = null;
    }

    /// <summary>An error the daemon cannot carry on after: one line, with the trace unless it was shown already.</summary>
    public void Fatal(Exception error, string consequence)
    {
        var reason = Reason(error);
        if (_traceShown)
        {
            logger.Fatal("{What} failed: {Reason}; {Consequence}", what, reason, consequence);
        }
        else
        {
            _traceShown = true;
            logger.Fatal(error, "{What} failed: {Reason}; {Consequence}", what, reason, consequence);
        }
    }

    /// <summary>The error in one line of reasonable length: the message of an expected error, else its type and message.</summary>
    public static string Reason(Exception error) =>
        TextLimit.Truncate(IsExpected(error) ? error.Message : $"{error.GetType().FullName}: {error.Message}", MaxReasonChars).ReplaceLineEndings(" ");

    private static bool IsExpected(Exception error) => error is CarrotStoreException or BrokerUnavailableException;
}

using Carrot.Diagnostics.Telemetry;
using Carrot.Errors;

namespace Carrot.Cli.Parsing;

/// <summary>
/// TRACEPARENT, the environment variable that carries a W3C trace context into a command (as otel-cli and the
/// OpenTelemetry environment-carrier proposal name it): a script's trace continues into the tasks it enqueues.
/// </summary>
internal static class TraceParentVariable
{
    public const string Name = "TRACEPARENT";

    /// <summary>The variable's value, null when unset or empty; a malformed one is refused rather than silently dropped.</summary>
    public static string? Read()
    {
        var value = Environment.GetEnvironmentVariable(Name);
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return TraceParent.IsValid(value)
            ? value.Trim()
            : throw new CarrotInputException($"{Name} '{InputEcho.Shorten(value)}' is not a W3C traceparent; set it to {TraceParent.Format}, or unset it.");
    }
}

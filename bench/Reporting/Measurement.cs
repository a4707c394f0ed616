namespace Carrot.Bench.Reporting;

/// <summary>
/// One figure: the median of its runs, the target from issue 6 when there is one (Met says whether the median
/// meets it), and the figure as a share of the matching raw ceiling measured in the same run.
/// </summary>
internal sealed record Measurement(string Scenario, string Metric, double Value, string Unit, IReadOnlyList<double> Runs)
{
    public string? Target { get; init; }

    public bool? Met { get; init; }

    public double? CeilingRatio { get; init; }

    public string? CeilingName { get; init; }

    public string? Note { get; init; }

    /// <summary>A higher-is-better figure against its target.</summary>
    public Measurement AtLeast(double target, string unit) => this with { Target = $">= {target:N0} {unit}", Met = Value >= target };

    /// <summary>A lower-is-better figure against its target.</summary>
    public Measurement AtMost(double target, string unit) => this with { Target = $"<= {target:N0} {unit}", Met = Value <= target };

    public Measurement Versus(double? ceiling, string name) =>
        ceiling is > 0 ? this with { CeilingRatio = Value / ceiling.Value, CeilingName = name } : this;
}

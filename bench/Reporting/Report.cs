using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Carrot.Bench.Reporting;

/// <summary>Prints each scenario as a JSON line and table rows, and writes artifacts/bench/SCENARIO.json and summary.md.</summary>
internal sealed class Report(string folder, MachineInfo machine)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) 
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
    private static readonly JsonSerializerOptions Indented = new(Json) { WriteIndented = true };
    private readonly List<Measurement> _all = [];

    public void Add(string scenario, IReadOnlyList<Measurement> measurements)
    {
        _all.AddRange(measurements);

        // The machine may be shared: the load says how much else ran while this was measured.
        var load = File.ReadAllText("/proc/loadavg").Trim();
        Console.Error.WriteLine($"  load average after {scenario}: {load}");
        var document = new { scenario, machine, load, measurements, at = DateTimeOffset.UtcNow };
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, scenario + ".json"), JsonSerializer.Serialize(document, Indented));
        Console.WriteLine(JsonSerializer.Serialize(document, Json));
        foreach (var m in measurements)
        {
            Console.WriteLine(Row(m));
        }
    }

    public void Finish()
    {
        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"Machine: {machine}");
        table.AppendLine();
        table.AppendLine("| scenario | metric | median | runs | target | met | of ceiling |");
        table.AppendLine("| --- | --- | ---: | --- | --- | --- | --- |");
        foreach (var m in _all)
        {
            table.AppendLine(Row(m));
        }

        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "summary.md"), table.ToString());
        File.WriteAllText(Path.Combine(folder, "summary.json"), JsonSerializer.Serialize(new { machine, measurements = _all }, Indented));
        Console.WriteLine();
        Console.WriteLine(table);
    }

    private static string Row(Measurement m)
    {
        var runs = string.Join(" / ", m.Runs.Select(r => Format(r)));
        var met = m.Met switch { true => "met", false => "NOT met", null => "" };
        var ceiling = m.CeilingRatio is { } r ? $"{r:P0} of {m.CeilingName}" : "";
        var metric = m.Note is null ? m.Metric : $"{m.Metric} ({m.Note})";
        return $"| {m.Scenario} | {metric} | {Format(m.Value)} {m.Unit} | {runs} | {m.Target} | {met} | {ceiling} |";
    }

    private static string Format(double value) => value switch
    {
        >= 100 => value.ToString("N0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("0.#", CultureInfo.InvariantCulture),
        _ => value.ToString("0.##", CultureInfo.InvariantCulture),
    };
}

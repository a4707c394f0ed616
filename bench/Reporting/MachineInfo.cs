using System.Runtime.InteropServices;

namespace Carrot.Bench.Reporting;

/// <summary>What the figures were measured on.</summary>
internal sealed record MachineInfo(int Cores, string Cpu, string Memory, string Os, string Dotnet, string RabbitMq, string Sqlite, string? Postgres = null)
{
    public static MachineInfo Read(string rabbitMq, string sqlite, string? postgres = null)
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        var memKb = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var os = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?.Split('=', 2)[1].Trim('"') ?? RuntimeInformation.OSDescription
            : RuntimeInformation.OSDescription;
        var memory = $"{long.Parse(memKb, System.Globalization.CultureInfo.InvariantCulture) / 1024.0 / 1024.0:0.#} GiB";
        return new MachineInfo(Environment.ProcessorCount, cpu, memory, $"{os} (kernel {Environment.OSVersion.Version})", RuntimeInformation.FrameworkDescription, rabbitMq, sqlite, postgres);
    }

    public override string ToString() =>
        $"{Cores} cores, {Cpu}, {Memory} RAM; {Os}; {Dotnet}; RabbitMQ {RabbitMq}; SQLite {Sqlite}" + (Postgres is null ? "" : $"; PostgreSQL {Postgres}");
}

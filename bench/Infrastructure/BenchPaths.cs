namespace Carrot.Bench.Infrastructure;

/// <summary>Where the published executables, the sample task library and the results are.</summary>
internal sealed class BenchPaths(string root)
{
    public string Root { get; } = root;

    public string Carrot => Path.Combine(Root, "artifacts", "carrot", "carrot");

    public string Carrotd => Path.Combine(Root, "artifacts", "carrotd", "carrotd");

    public string MyLib => Path.Combine(Root, "samples", "MyLib", "bin", "Release", "net10.0");

    public string NodeScript => Path.Combine(Root, "scripts", "rabbitmq-node.sh");

    public string Results => Path.Combine(Root, "artifacts", "bench");

    public string Scratch { get; } = Path.Combine(Path.GetTempPath(), "carrot-bench-" + Environment.ProcessId);
}

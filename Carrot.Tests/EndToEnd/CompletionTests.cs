using Carrot.Tests.Support;

namespace Carrot.Tests.EndToEnd;

/// <summary>packaging/completion/carrot.bash in a real bash, against the published carrot and a sandbox's database.</summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class CompletionTests : SandboxTest
{
    [TestCase("wo", "workers")]
    [TestCase("doc", "doctor")]
    [TestCase("workers u", "update")]
    [TestCase("tasks list --st", "--status")]
    [TestCase("tasks list --status f", "failed")]
    public async Task CommandsOptionsAndValues_AreCompleted(string typed, string expected)
    {
        Assert.That(await CompleteAsync(typed), Is.EqualTo(expected));
    }

    [Test]
    public async Task WorkerNamesAndKallables_ComeFromTheConfiguredDatabaseAndTaskAssemblies()
    {
        await Sandbox.CarrotAsync("workers", "add", "files");

        Assert.Multiple(async () =>
        {
            Assert.That(await CompleteAsync($"--config {Sandbox.ConfigPath} workers remove f"), Is.EqualTo("files"));
            Assert.That(await CompleteAsync($"--config {Sandbox.ConfigPath} enqueue X --worker "), Is.EqualTo("default files"));
            Assert.That(await CompleteAsync($"--config {Sandbox.ConfigPath} enqueue MyLib.Jobs.Ba"), Is.EqualTo("MyLib.Jobs.Bark"));
            Assert.That(await CompleteAsync($"--config {Sandbox.ConfigPath} tasks list -k MyLib.Greeter."), Is.EqualTo("MyLib.Greeter.Greet"));
        });
    }

    /// <summary>Completes the last word of <paramref name="typed"/> (empty when it ends with a space), as bash would on TAB.</summary>
    private static async Task<string> CompleteAsync(string typed)
    {
        var script = Path.Combine(RepositoryPaths.Root, "packaging", "completion", "carrot.bash");
        var words = typed.Split(' ');
        var quoted = string.Join(' ', words.Select(w => $"'{w}'"));
        var run = await ProcessRunner.RunAsync("bash", ["-c",
            $"source '{script}'; COMP_WORDS=('{RepositoryPaths.Carrot}' {quoted}); COMP_CWORD={words.Length}; _carrot; echo \"${{COMPREPLY[*]}}\""],
            timeout: TimeSpan.FromSeconds(60));
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
        return run.StdOut.Trim();
    }
}

using System.Diagnostics;

namespace Carrot.Soak;

/// <summary>A private RabbitMQ node on 127.0.0.1:5790, driven through scripts/rabbitmq-node.sh.</summary>
internal sealed class SoakBroker(string root, string folder)
{
    public const int Port = 5790;

    public Task StartAsync() => ScriptAsync("start", folder, Port.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public Task StopAsync() => ScriptAsync("stop", folder);

    public async Task RestartAppAsync()
    {
        await ScriptAsync("ctl", folder, "stop_app");
        await Task.Delay(Random.Shared.Next(500, 3000));
        await ScriptAsync("ctl", folder, "start_app");
    }

    public async Task KillAndStartAsync()
    {
        var pid = int.Parse((await File.ReadAllTextAsync(Path.Combine(folder, "pid"))).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        using (var beam = Process.GetProcessById(pid))
        {
            beam.Kill();
            await beam.WaitForExitAsync();
        }

        await StopAsync();
        await StartAsync();
    }

    private async Task ScriptAsync(params string[] args)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(root, "scripts/rabbitmq-node.sh"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmq-node.sh {string.Join(' ', args)} failed: {output}");
        }
    }
}

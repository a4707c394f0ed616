using Carrot.Monitor;
using Carrot.Monitor.Hosting;
using Carrot.Records;
using Carrot.Tests.Support;

namespace Carrot.Tests.Isolation;

/// <summary>The monitor's workers page shows each worker's runner limits as <c>workers list</c> does.</summary>
[TestFixture]
public sealed class WorkerRunnerLimitsMonitorTests : SandboxTest
{
    [Test]
    public async Task TheWorkersPage_ShowsAProcessWorkersOwnLimits_AndADashForAnInProcessWorker()
    {
        await using var client = await Sandbox.CreateClientAsync();
        await client.AddWorkerAsync("reports", 1, "", WorkerIsolation.Process, runnerMaxTasks: 50, runnerMaxMemoryMiB: null);
        await using var server = CarrotMonitorServer.Create(client, new MonitorSettings { Listen = "127.0.0.1:0" });
        await server.StartAsync();
        using var http = new HttpClient { BaseAddress = server.Address };

        var html = await http.GetStringAsync("/workers");

        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Contain("runner limits</th>"));
            Assert.That(html, Does.Match("""(?s)data-worker="reports"(?:(?!data-worker=).)*?<td class="runner-limits">50 tasks, default MiB</td>"""));
            Assert.That(html, Does.Match("""(?s)data-worker="default"(?:(?!data-worker=).)*?<td class="runner-limits">-</td>"""));
        });
    }
}

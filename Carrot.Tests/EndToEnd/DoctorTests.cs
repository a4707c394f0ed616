using System.Net;
using System.Net.Sockets;
using Carrot.Tests.Support;

namespace Carrot.Tests.EndToEnd;

/// <summary><c>carrot doctor</c> against a healthy setup and a broken one: what it finds, how it exits, what it never prints.</summary>
[TestFixture]
[Category("EndToEnd")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DoctorTests : SandboxTest
{
    private const string Password = "d0ct0r-pw-never-printed";

    [Test]
    public async Task HealthySetup_AllChecksPass_AndEachWorkerQueueShowsItsConsumer()
    {
        // As the package sets it up: the database folder closed to other users.
        File.SetUnixFileMode(Sandbox.Folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        await Sandbox.StartDaemonAsync();

        var doctor = await Sandbox.CarrotAsync("doctor");

        Assert.That(doctor.ExitCode, Is.EqualTo(0), doctor.Output);
        Assert.That(doctor.StdOut, Does.Not.Contain("fail ").And.Not.Contain("warn "), doctor.Output);
        Assert.That(doctor.StdOut, Does.Contain($"ok    config    {Sandbox.ConfigPath}")
            .And.Contain("schema version")
            .And.Contain("journal mode WAL")
            .And.Contain("not readable by other users (file 0644, folder 0750)")
            .And.Contain("1 carrotd alive")
            .And.Contain("worker default: carrot.default has 0 message(s) waiting, 1 consumer(s)")
            .And.Contain("MyLib.dll: ")
            .And.Contain("***@127.0.0.1"));
        var json = TaskJson.Parse((await Sandbox.CarrotAsync("doctor", "--json")).StdOut);
        Assert.That(json.GetProperty("failures").GetInt32(), Is.Zero);
        Assert.That(json.GetProperty("checks")[0].GetProperty("level").GetString(), Is.EqualTo("ok"));
    }

    [Test]
    public async Task BrokenSetup_FailsWithAFixPerProblem_AndNeverPrintsThePassword()
    {
        await Sandbox.CarrotAsync("workers", "list");
        Sandbox.WriteConfig($"amqp://guest:{Password}@127.0.0.1:{UnusedPort()}/",
            new Dictionary<string, object> { ["taskAssemblies"] = new[] { Path.Combine(Sandbox.Folder, "Missing.dll") } });
        File.SetUnixFileMode(Sandbox.ConfigPath, (UnixFileMode)0b110_100_100);
        File.SetUnixFileMode(Sandbox.Folder, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(Sandbox.DatabasePath, (UnixFileMode)0b110_100_100);

        var doctor = await Sandbox.CarrotAsync("doctor");

        Assert.That(doctor.ExitCode, Is.EqualTo(1), doctor.Output);
        Assert.That(doctor.StdOut, Does.Contain("warn  config    ").And.Contain("holds the broker password and every user can read it"));
        Assert.That(doctor.StdOut, Does.Contain("warn  database  Every user can read the database").And.Contain($"fix: chmod o-rwx {Sandbox.Folder}"));
        Assert.That(doctor.StdOut, Does.Contain("warn  daemons   No carrotd is alive"));
        Assert.That(doctor.StdOut, Does.Contain("fail  broker    Cannot reach RabbitMQ at amqp://guest:***@127.0.0.1"));
        Assert.That(doctor.StdOut, Does.Contain("fail  tasks     The task assembly path").And.Contain("Missing.dll does not exist"));
        Assert.That(doctor.StdOut, Does.Contain("carrot doctor: ").And.Contain("2 failure(s)"));
        Assert.That(doctor.Output, Does.Not.Contain(Password));
    }

    [Test]
    public async Task MissingDatabase_IsReportedAndNotCreated()
    {
        var doctor = await Sandbox.CarrotAsync("doctor");

        Assert.That(doctor.StdOut, Does.Contain($"warn  database  {Sandbox.DatabasePath} does not exist yet."), doctor.Output);
        Assert.That(File.Exists(Sandbox.DatabasePath), Is.False);
        Assert.That(doctor.ExitCode, Is.EqualTo(0), "a missing database is a warning: carrot creates it on first use");
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

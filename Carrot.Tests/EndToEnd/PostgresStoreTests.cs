using System.Text.Json;
using Carrot.Tests.Support;

namespace Carrot.Tests.EndToEnd;

/// <summary>
/// The PostgreSQL store as a user meets it, with the published carrot and carrotd on the run's private server:
/// moving a box's SQLite store over with <c>carrot db copy</c>, an explicit <c>carrot db migrate</c> for a user
/// without DDL rights, the doctor's checks, and a database URI of another kind refused.
/// </summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class PostgresStoreTests : SandboxTest
{
    private const string Password = "pg-pw-never-printed";

    [Test]
    public async Task DbCopy_MovesAStoppedSqliteStore_AndADaemonOnPostgresRunsWhatWasWaiting()
    {
        Assert.That((await Sandbox.CarrotAsync("workers", "add", "files", "--concurrency", "2")).ExitCode, Is.Zero);
        var daemon = await Sandbox.StartDaemonAsync();
        var done = await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs.Bark", "--args", """["Rex"]""", "--wait");
        Assert.That(done.ExitCode, Is.Zero, done.Output);
        await daemon.StopAsync(TimeSpan.FromSeconds(30));
        var waiting = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            var queued = await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs.Bark", "--args", """["Rex"]""", "--worker", "files");
            waiting.Add(long.Parse(queued.StdOut.Trim(), System.Globalization.CultureInfo.InvariantCulture));
        }

        var target = await WithPasswordAsync(await SharedPostgres.CreateDatabaseAsync(migrated: false));
        var copy = await Sandbox.CarrotAsync("db", "copy", "--to", target);
        var again = await Sandbox.CarrotAsync("db", "copy", "--to", target);

        Assert.That(copy.ExitCode, Is.Zero, copy.Output);
        Assert.That(copy.StdOut, Does.Contain("Copied 4 task(s)").And.Contain("2 worker(s)").And.Contain("***@").And.Not.Contain(Password));
        Assert.That(again.ExitCode, Is.EqualTo(2), again.Output);
        Assert.That(again.StdErr.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(again.StdErr, Does.Contain("already holds tasks").And.Not.Contain(Password));

        Sandbox.WriteConfig(Sandbox.BrokerUri, new Dictionary<string, object> { ["database"] = target });
        var onPostgres = await Sandbox.StartDaemonAsync();
        foreach (var id in waiting)
        {
            Assert.That(await StateEventuallyAsync(id, "succeeded"), Is.EqualTo("succeeded"), onPostgres.Output);
        }

        var next = await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs.Bark", "--args", """["Rex"]""");
        Assert.That(long.Parse(next.StdOut.Trim(), System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(waiting.Max()), "ids go on after the copied ones");
        Assert.That(onPostgres.Output, Does.Contain("***@").And.Not.Contain(Password));
    }

    [Test]
    public async Task AUserWithoutDdlRights_RunsAfterDbMigrate_AndTheDoctorChecksTheStore()
    {
        var server = await SharedPostgres.GetAsync();
        var owner = await SharedPostgres.CreateDatabaseAsync(migrated: false);
        var database = owner[(owner.LastIndexOf('/') + 1)..];
        var role = "app_" + Guid.NewGuid().ToString("N")[..8];
        await server.PsqlAsync($"CREATE ROLE {role} LOGIN PASSWORD '{Password}'", "postgres");
        var app = $"postgresql://{role}:{Password}@127.0.0.1:{server.Port}/{database}";

        Sandbox.WriteConfig(Sandbox.BrokerUri, new Dictionary<string, object> { ["database"] = owner });
        var migrate = await Sandbox.CarrotAsync("db", "migrate");
        Sandbox.WriteConfig(Sandbox.BrokerUri, new Dictionary<string, object> { ["database"] = app });
        var lacking = await Sandbox.CarrotAsync("doctor");
        await server.PsqlAsync($"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}; GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}", database);
        await Sandbox.StartDaemonAsync();
        var run = await Sandbox.CarrotAsync("enqueue", "MyLib.Jobs.Bark", "--args", """["Rex"]""", "--wait");
        var doctor = await Sandbox.CarrotAsync("doctor");

        Assert.Multiple(() =>
        {
            Assert.That(migrate.StdOut, Does.Contain("schema version none -> "), migrate.Output);
            Assert.That(lacking.ExitCode, Is.EqualTo(1), lacking.Output);
            Assert.That(lacking.StdOut, Does.Contain($"user {role} lacks SELECT, INSERT, UPDATE or DELETE on tasks"));
            Assert.That(run.ExitCode, Is.Zero, run.Output);
            Assert.That(doctor.ExitCode, Is.Zero, doctor.Output);
            Assert.That(doctor.StdOut, Does.Contain("answers (PostgreSQL ").And.Contain("schema version").And.Contain($"user {role} may read and write").And.Contain("1 carrotd alive"));
            Assert.That(lacking.Output + doctor.Output + run.Output, Does.Not.Contain(Password));
        });
    }

    [TestCase("mysql://root:" + Password + "@db/carrot", "mysql://")]
    [TestCase("postgresql://u:" + Password + "@127.0.0.1:1/carrot", "Cannot reach the PostgreSQL server")]
    public async Task ABadDatabaseUri_IsOneLine_WithoutThePassword(string database, string expected)
    {
        var status = await ProcessRunner.RunAsync(RepositoryPaths.Carrot, ["workers", "list"],
            new Dictionary<string, string?>(Sandbox.Environment()) { ["CARROT_DATABASE"] = database }, TimeSpan.FromSeconds(60));

        Assert.That(status.ExitCode, Is.Not.Zero);
        Assert.That(status.StdErr.Trim().Split('\n'), Has.Length.EqualTo(1), status.Output);
        Assert.That(status.StdErr, Does.Contain(expected).And.Not.Contain(Password));
    }

    // The run's server trusts loopback logins, so any password works: enough to see that none is ever printed.
    private static Task<string> WithPasswordAsync(string uri) => Task.FromResult(uri.Replace("postgresql://postgres@", $"postgresql://postgres:{Password}@", StringComparison.Ordinal));

    private async Task<string?> StateEventuallyAsync(long id, string state)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        string? seen = null;
        while (DateTime.UtcNow < deadline)
        {
            var show = await Sandbox.CarrotAsync("tasks", "show", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json");
            if (show.ExitCode == 0)
            {
                seen = JsonDocument.Parse(show.StdOut).RootElement.GetProperty("state").GetString();
                if (seen == state)
                {
                    return seen;
                }
            }

            await Task.Delay(200);
        }

        return seen;
    }
}

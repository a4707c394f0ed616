using Carrot.Configuration;
using Carrot.Errors;
using Carrot.Records;
using Carrot.Tests.Support;
using Dapper;
using Npgsql;

namespace Carrot.Tests.EndToEnd;

/// <summary>
/// Transactional enqueue on PostgreSQL: the task is written in the application's own transaction, so it exists if
/// and only if the application's data commits, and a running carrotd's relay publishes and runs it after the commit.
/// </summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class TransactionalEnqueueTests : SandboxTest
{
    [Test]
    public async Task ATaskEnqueuedInTheAppsTransaction_RunsAfterCommit_AndVanishesWithARollback()
    {
        var database = await SharedPostgres.CreateDatabaseAsync(migrated: true);
        Sandbox.WriteConfig(Sandbox.BrokerUri, new Dictionary<string, object> { ["database"] = database });
        await using var client = await Sandbox.CreateClientAsync();
        await Sandbox.StartDaemonAsync();
        await using var app = new NpgsqlConnection(SharedPostgres.ConnectionString(database));
        await app.OpenAsync();
        await app.ExecuteAsync("CREATE TABLE orders (id bigint PRIMARY KEY, item text NOT NULL)");
        var request = new EnqueueRequest { Kallable = "MyLib.Jobs.Bark", Args = """["Rex"]""" };

        EnqueueResult committed, rolledBack;
        await using (var transaction = await app.BeginTransactionAsync())
        {
            await app.ExecuteAsync("INSERT INTO orders VALUES (1, 'bone')");
            committed = await client.EnqueueAsync(request, transaction);
            await transaction.CommitAsync();
        }

        await using (var transaction = await app.BeginTransactionAsync())
        {
            await app.ExecuteAsync("INSERT INTO orders VALUES (2, 'ball')");
            rolledBack = await client.EnqueueAsync(request, transaction);
            await transaction.RollbackAsync();
        }

        Assert.That(committed.InCallersTransaction && committed.Dispatched && !committed.Published, Is.True);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await client.GetTaskAsync(committed.TaskId))?.State != Carrot.Tasks.TaskState.Succeeded && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.Multiple(async () =>
        {
            Assert.That((await client.GetTaskAsync(committed.TaskId))?.State, Is.EqualTo(Carrot.Tasks.TaskState.Succeeded), "published by the relay after the commit, and run");
            Assert.That(await client.GetTaskAsync(rolledBack.TaskId), Is.Null, "rolled back with the order");
            Assert.That(await app.ExecuteScalarAsync<long>("SELECT count(*) FROM orders"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task OnAnSqliteStore_ItIsRefusedInOneLine()
    {
        await using var client = await Sandbox.CreateClientAsync();
        await using var other = new NpgsqlConnection(SharedPostgres.ConnectionString(await SharedPostgres.CreateDatabaseAsync(migrated: true)));
        await other.OpenAsync();
        await using var transaction = await other.BeginTransactionAsync();

        var error = Assert.ThrowsAsync<CarrotInputException>(() => client.EnqueueAsync(new EnqueueRequest { Kallable = "MyLib.Jobs.Bark", Args = """["Rex"]""" }, transaction));

        Assert.That(error!.Message, Does.Contain("needs Carrot's store on PostgreSQL"));
    }
}

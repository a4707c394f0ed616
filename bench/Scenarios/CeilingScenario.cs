using System.Diagnostics;
using System.Text;
using Carrot.Bench.Infrastructure;
using Carrot.Bench.Reporting;
using Microsoft.Data.Sqlite;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Carrot.Bench.Scenarios;

/// <summary>
/// What this machine allows underneath Carrot: RabbitMQ persistent publishes to a durable queue with pipelined
/// confirms, then consume with one ack each; SQLite (WAL, synchronous=FULL, Carrot's schema and indexes) doing an
/// insert and two updates per task, 100 tasks a transaction and one task a transaction.
/// </summary>
internal sealed class CeilingScenario : IScenario
{
    private const int Messages = 50_000;
    private const int BatchedTasks = 20_000;
    private const int SingleTasks = 2_000;

    public string Name => "ceiling";

    public async Task<IReadOnlyList<Measurement>> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var publish = new List<double>();
        var consume = new List<double>();
        var batched = new List<double>();
        var single = new List<double>();
        for (var run = 0; run < context.Options.Runs; run++)
        {
            var (p, c) = await BrokerAsync(context, cancellationToken);
            publish.Add(p);
            consume.Add(c);
            batched.Add(await SqliteAsync(context, BatchedTasks, 100, cancellationToken));
            single.Add(await SqliteAsync(context, SingleTasks, 1, cancellationToken));
        }

        context.Ceilings.BrokerPublish = Stats.Median(publish);
        context.Ceilings.BrokerConsume = Stats.Median(consume);
        context.Ceilings.SqliteBatched = Stats.Median(batched);
        context.Ceilings.SqliteSingle = Stats.Median(single);
        return
        [
            new Measurement(Name, "RabbitMQ persistent publish, confirms (256 in flight)", Stats.Median(publish), "msg/s", publish),
            new Measurement(Name, "RabbitMQ consume + ack each (prefetch 256)", Stats.Median(consume), "msg/s", consume),
            new Measurement(Name, "SQLite insert + 2 updates, 100 tasks/transaction", Stats.Median(batched), "tasks/s", batched),
            new Measurement(Name, "SQLite insert + 2 updates, 1 task/transaction", Stats.Median(single), "tasks/s", single),
        ];
    }

    private static async Task<(double Publish, double Consume)> BrokerAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var vhost = await context.Broker.CreateVirtualHostAsync(cancellationToken);
        try
        {
            var factory = new ConnectionFactory { Uri = new Uri(context.Broker.Uri(vhost)) };
            await using var connection = await factory.CreateConnectionAsync(cancellationToken);
            await using var publisher = await connection.CreateChannelAsync(
                new CreateChannelOptions(true, true, new ThrottlingRateLimiter(1024)), cancellationToken);
            await publisher.QueueDeclareAsync("ceiling", durable: true, exclusive: false, autoDelete: false, arguments: null, cancellationToken: cancellationToken);
            var body = Encoding.UTF8.GetBytes("""{"v":1,"task_id":1234567}""");
            var properties = new BasicProperties { Persistent = true, ContentType = "application/json" };
            var stopwatch = Stopwatch.StartNew();
            var window = new List<Task>(256);
            for (var i = 0; i < Messages; i++)
            {
                window.Add(publisher.BasicPublishAsync("", "ceiling", mandatory: true, properties, body, cancellationToken).AsTask());
                if (window.Count == 256 || i == Messages - 1)
                {
                    await Task.WhenAll(window);
                    window.Clear();
                }
            }

            var publishRate = Messages / stopwatch.Elapsed.TotalSeconds;

            await using var consumer = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            await consumer.BasicQosAsync(0, 256, false, cancellationToken);
            var received = 0;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var basic = new AsyncEventingBasicConsumer(consumer);
            basic.ReceivedAsync += async (_, e) =>
            {
                await consumer.BasicAckAsync(e.DeliveryTag, multiple: false, cancellationToken);
                if (++received == Messages)
                {
                    done.TrySetResult();
                }
            };
            stopwatch.Restart();
            await consumer.BasicConsumeAsync("ceiling", autoAck: false, basic, cancellationToken);
            await done.Task.WaitAsync(TimeSpan.FromMinutes(5), cancellationToken);
            return (publishRate, Messages / stopwatch.Elapsed.TotalSeconds);
        }
        finally
        {
            await context.Broker.DeleteVirtualHostAsync(vhost, cancellationToken);
        }
    }

    /// <summary>Carrot's own schema (migrated by a client), raw statements shaped like Carrot's insert, claim and outcome.</summary>
    private static async Task<double> SqliteAsync(ScenarioContext context, int tasks, int perTransaction, CancellationToken cancellationToken)
    {
        await using var world = await context.NewWorldAsync("ceiling-sqlite", cancellationToken);
        await using (await world.CreateClientAsync(cancellationToken))
        {
            // Creating the client applies the schema.
        }

        await using var connection = new SqliteConnection($"Data Source={world.DatabasePath};Pooling=False");
        await connection.OpenAsync(cancellationToken);
        await Exec(connection, "PRAGMA synchronous = FULL", cancellationToken);
        await using var insert = Command(connection, """
            INSERT INTO tasks (kallable, args, kwargs, worker, status, priority, max_attempts, created_at, queued_at)
            VALUES ('MyLib.Bench.Noop', '[]', '{}', 'default', 'queued', 0, 3, $now, $now) RETURNING id
            """);
        await using var claim = Command(connection, """
            UPDATE tasks SET status = 'running', attempts = attempts + 1, started_at = $now, node = 'bench:1', lease_owner = 'bench', lease_expires_at = $now + 60000
            WHERE id = $id AND status = 'queued' AND attempts < max_attempts
            """);
        await using var finish = Command(connection, """
            UPDATE tasks SET status = 'succeeded', finished_at = $now, result = 'null', lease_owner = NULL, lease_expires_at = NULL
            WHERE id = $id AND status = 'running' AND lease_owner = 'bench'
            """);
        var stopwatch = Stopwatch.StartNew();
        for (var done = 0; done < tasks; done += perTransaction)
        {
            await Exec(connection, "BEGIN IMMEDIATE", cancellationToken);
            for (var i = 0; i < perTransaction; i++)
            {
                var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                insert.Parameters["$now"].Value = now;
                var id = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
                claim.Parameters["$now"].Value = now;
                claim.Parameters["$id"].Value = id;
                await claim.ExecuteNonQueryAsync(cancellationToken);
                finish.Parameters["$now"].Value = now;
                finish.Parameters["$id"].Value = id;
                await finish.ExecuteNonQueryAsync(cancellationToken);
            }

            await Exec(connection, "COMMIT", cancellationToken);
        }

        return tasks / stopwatch.Elapsed.TotalSeconds;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.Add("$now", SqliteType.Integer);
        if (sql.Contains("$id", StringComparison.Ordinal))
        {
            command.Parameters.Add("$id", SqliteType.Integer);
        }

        return command;
    }

    private static async Task Exec(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

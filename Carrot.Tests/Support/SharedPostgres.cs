using Carrot.Configuration;
using Carrot.Storage;
using Carrot.Tests.Support;
using Npgsql;
using NUnit.Framework;

namespace Carrot.Tests;

/// <summary>
/// One private PostgreSQL server for the whole run, started on first use (a run without PostgreSQL tests never pays
/// for it) and stopped when the run ends. Tests stay apart through databases of their own, copied from a template
/// migrated once (a copy takes milliseconds; migrating each would take far longer), and dropped after the test.
/// </summary>
[SetUpFixture]
public sealed class SharedPostgres
{
    private const string Template = "carrot_template";
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static PostgresServer? _server;
    private static NpgsqlDataSource? _admin;

    internal static async Task<PostgresServer> GetAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_server is null)
            {
                var server = await PostgresServer.StartAsync(durable: false, CancellationToken.None);
                _admin = NpgsqlDataSource.Create($"Host=127.0.0.1;Port={server.Port};Username=postgres;Database=postgres;Pooling=true");
                await ExecuteAsync($"CREATE DATABASE {Template}");
                await using (var engine = StoreEngine.Create(new CarrotOptions { Database = server.Uri(Template) }))
                {
                    await engine.MigrateAsync(CancellationToken.None);
                }

                NpgsqlConnection.ClearAllPools();
                _server = server;
            }

            return _server;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>The URI of a fresh database on the shared server: migrated already, or empty.</summary>
    internal static async Task<string> CreateDatabaseAsync(bool migrated)
    {
        var server = await GetAsync();
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await ExecuteAsync(migrated ? $"CREATE DATABASE {name} TEMPLATE {Template}" : $"CREATE DATABASE {name}");
        return server.Uri(name);
    }

    /// <summary>Drops a test's database, closing whatever connections it still has.</summary>
    internal static async Task DropDatabaseAsync(string uri)
    {
        var name = uri[(uri.LastIndexOf('/') + 1)..];
        await ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }

    /// <summary>An Npgsql connection string for a database URI of this server, for tests that look at rows directly.</summary>
    internal static string ConnectionString(string uri)
    {
        var builder = new NpgsqlConnectionStringBuilder { Pooling = false };
        foreach (var (keyword, value) in DatabaseAddress.Parse(uri).Settings)
        {
            builder[keyword] = value;
        }

        return builder.ConnectionString;
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_admin is not null)
        {
            await _admin.DisposeAsync();
            _admin = null;
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }
    }

    private static async Task ExecuteAsync(string sql)
    {
        await using var command = _admin!.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}

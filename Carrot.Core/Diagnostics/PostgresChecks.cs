using Carrot.Configuration;
using Carrot.Errors;
using Carrot.Storage.Postgres;

namespace Carrot.Diagnostics;

/// <summary>
/// A PostgreSQL store: reachable with these credentials, its schema version, the user's rights on Carrot's tables,
/// the server's clock against this machine's, and which daemons are alive. Reads only, never migrates.
/// </summary>
internal static class PostgresChecks
{
    private const string Area = "database";

    public static async Task<DatabaseReport> RunAsync(CarrotOptions options, CancellationToken cancellationToken)
    {
        var checks = new List<DiagnosticCheck>();
        var probe = PostgresProbe.For(options);
        try
        {
            string version;
            try
            {
                version = await probe.ServerVersionAsync(cancellationToken);
            }
            catch (CarrotStoreException e)
            {
                checks.Add(DiagnosticCheck.Fail(Area, e.Message, "Check that the server runs and that \"database\" names its host, port, database, user and password."));
                return new DatabaseReport(checks, null);
            }

            checks.Add(DiagnosticCheck.Ok(Area, $"{probe.Display} answers (PostgreSQL {version})"));
            if (!await probe.HasSchemaAsync(cancellationToken))
            {
                checks.Add(DiagnosticCheck.Warn(Area, "no Carrot schema in this database yet.", "Run 'carrot db migrate' as a user that may create tables (any carrot command or carrotd start does it too, with those rights)."));
                return new DatabaseReport(checks, null);
            }

            // Rights first: without SELECT nothing else can be read.
            var user = await probe.UserAsync(cancellationToken);
            var lacking = await probe.TablesLackingRightsAsync(cancellationToken);
            if (lacking.Count > 0)
            {
                checks.Add(DiagnosticCheck.Fail(Area, $"user {user} lacks SELECT, INSERT, UPDATE or DELETE on {string.Join(", ", lacking)}.", $"As the owner: GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {user}; GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {user};"));
                return new DatabaseReport(checks, null);
            }

            checks.Add(DiagnosticCheck.Ok(Area, $"user {user} may read and write Carrot's tables"));
            var schema = await probe.SchemaVersionAsync(cancellationToken) ?? 0;
            checks.Add(schema switch
            {
                var v when v == PostgresSchemaMigrator.LatestVersion => DiagnosticCheck.Ok(Area, $"schema version {v} (this carrot's)"),
                var v when v > PostgresSchemaMigrator.LatestVersion => DiagnosticCheck.Fail(Area, $"schema version {v} is newer than this carrot knows ({PostgresSchemaMigrator.LatestVersion}).", "Upgrade carrot and carrotd to the version that wrote it."),
                var v => DiagnosticCheck.Warn(Area, $"schema version {v}, older than this carrot's {PostgresSchemaMigrator.LatestVersion}.", "Run 'carrot db migrate' as the schema's owner, then restart carrotd."),
            });
            var offset = await probe.ClockOffsetAsync(cancellationToken);
            checks.Add(Math.Abs(offset.TotalSeconds) < 1
                ? DiagnosticCheck.Ok(Area, $"server clock {offset.TotalMilliseconds:+0;-0} ms from this machine's")
                : DiagnosticCheck.Warn(Area, $"the server's clock is {offset.TotalSeconds:+0.0;-0.0} s from this machine's.", "Carrot writes times by the server's clock, so leases and schedules stay right; keep the clocks in sync with NTP anyway (logs and timestamps read better)."));
            var workers = await probe.WorkerNamesAsync(cancellationToken);
            var window = DatabaseChecks.LiveDaemonWindow(options);
            checks.Add(DatabaseChecks.Daemons(await probe.CountLiveDaemonsAsync(window, cancellationToken), window));
            return new DatabaseReport(checks, workers);
        }
        catch (CarrotStoreException e)
        {
            checks.Add(DiagnosticCheck.Fail(Area, e.Message, "Check the user's rights on the database, or run the doctor as the user carrotd runs as."));
            return new DatabaseReport(checks, null);
        }
        finally
        {
            await probe.DisposeAsync();
        }
    }
}

using System.Net.Sockets;
using Carrot.Errors;
using Npgsql;

namespace Carrot.Storage.Postgres;

/// <summary>Turns PostgreSQL's SQLSTATEs and Npgsql's connection errors into one line that says what to do.</summary>
internal static class PostgresErrors
{
    /// <summary>
    /// The errors of the database as a whole, worth retrying: the connection (class 08, or no server answer at all),
    /// a deadlock or serialization failure (the transaction as a whole may succeed when run again), the server out of
    /// resources (class 53) or shutting down (57P0x), a lock not available, a read-only server (a standby during failover).
    /// </summary>
    public static bool IsTransient(NpgsqlException e) =>
        e is PostgresException pg
            ? pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState.StartsWith("53", StringComparison.Ordinal)
              || pg.SqlState is "40001" or "40P01" or "57P01" or "57P02" or "57P03" or "55P03" or "25006"
            : true;

    public static CarrotStoreException Translate(NpgsqlException e, string display) => new(Describe(e, display), e) { IsTransient = IsTransient(e) };

    private static string Describe(NpgsqlException e, string display) => e switch
    {
        PostgresException { SqlState: "28P01" or "28000" } => $"The PostgreSQL server at {display} refused the login: {e.Message.Split(':', 2)[^1].Trim()}. Check the user and password in \"database\" (or {Configuration.CarrotConfiguration.DatabaseVariable}).",
        PostgresException { SqlState: "3D000" } => $"The database named in {display} does not exist on that server. Create it (createdb NAME, or CREATE DATABASE), then try again.",
        PostgresException { SqlState: "42501" } pg => $"The PostgreSQL user in {display} may not do this: {pg.MessageText}. Grant it the rights on Carrot's tables (see the README), or run 'carrot db migrate' as the owner of the schema.",
        PostgresException { SqlState: "40P01" } => $"A write on {display} was chosen as the victim of a deadlock and rolled back; it is retried.",
        PostgresException { SqlState: "57P01" or "57P02" or "57P03" } => $"The PostgreSQL server at {display} is shutting down or starting up; nothing was written. Try again.",
        PostgresException { SqlState: "53100" } => $"The disk of the PostgreSQL server at {display} is full; nothing was written. Free some space and try again.",
        PostgresException pg => $"Database error on {display}: {pg.SqlState} {pg.MessageText}",
        _ when e.InnerException is SocketException socket => $"Cannot reach the PostgreSQL server at {display} ({socket.SocketErrorCode}). Check that it runs and listens there, and the host and port in \"database\".",
        _ when e.InnerException is TimeoutException => $"The PostgreSQL server at {display} did not answer in time; nothing was written. Check that it runs, or raise connect_timeout.",
        _ => $"Database error on {display}: {e.Message}",
    };
}

using System.Data.Common;
using Dapper;

namespace Carrot.Storage.Postgres;

/// <summary>
/// "Now" as the database server sees it: this machine's clock plus the offset measured against the server's
/// <c>clock_timestamp()</c> (half a round trip of error). Several hosts then write and compare leases, due times and
/// schedules on one clock, so a host whose own clock runs ahead can neither expire another's live lease nor fire a
/// schedule early. Timers and elapsed time stay on the local monotonic clock.
/// </summary>
internal sealed class DatabaseClock(TimeProvider local) : TimeProvider
{
    private long _offsetTicks;

    /// <summary>How far the server's clock is ahead of this machine's (negative: behind).</summary>
    public TimeSpan Offset => TimeSpan.FromTicks(Volatile.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => local.GetUtcNow().AddTicks(Volatile.Read(ref _offsetTicks));

    public override long GetTimestamp() => local.GetTimestamp();

    public override long TimestampFrequency => local.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => local.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        local.CreateTimer(callback, state, dueTime, period);

    public async Task SyncAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var before = local.GetUtcNow();
        var server = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint", cancellationToken: cancellationToken));
        var after = local.GetUtcNow();
        var midpoint = before + ((after - before) / 2);
        Volatile.Write(ref _offsetTicks, (UnixTime.FromMs(server) - midpoint).Ticks);
    }
}

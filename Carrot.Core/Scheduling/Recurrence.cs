using Carrot.Errors;
using Carrot.Lifecycle;
using Cronos;

namespace Carrot.Scheduling;

/// <summary>
/// When a recurring schedule fires: a cron expression in a time zone (Cronos handles daylight-saving changes: a
/// time skipped by the spring jump fires right after it, a time repeated in the autumn fires once), or a fixed interval.
/// </summary>
internal sealed class Recurrence
{
    private readonly CronExpression? _cron;
    private readonly TimeZoneInfo _zone;
    private readonly TimeSpan? _every;

    private Recurrence(CronExpression? cron, TimeZoneInfo zone, TimeSpan? every)
    {
        _cron = cron;
        _zone = zone;
        _every = every;
    }

    public static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(1);

    /// <summary>Validates and builds; every problem is a <see cref="CarrotInputException"/> that says how to fix it.</summary>
    public static Recurrence Create(string? cron, string? timeZone, TimeSpan? every)
    {
        if ((cron is null) == (every is null))
        {
            throw new CarrotInputException("A schedule needs exactly one of a cron expression and a fixed interval (every), not both or neither.");
        }

        if (every is { } interval)
        {
            if (timeZone is not null)
            {
                throw new CarrotInputException("A time zone applies to a cron expression only; a fixed interval does not depend on the time zone.");
            }

            if (interval < MinimumInterval)
            {
                throw new CarrotInputException($"An interval of {interval.TotalSeconds:0.###}s is too short; the smallest interval is 1s.");
            }

            if (!DurationLimits.IsValidDelay(interval))
            {
                throw new CarrotInputException($"An interval of {interval.TotalDays:N0} days is too long; the longest is {DurationLimits.MaxDelayText}.");
            }

            return new Recurrence(null, TimeZoneInfo.Utc, interval);
        }

        return new Recurrence(ParseCron(cron!), FindZone(timeZone), null);
    }

    public static Recurrence For(Records.ScheduleRecord schedule) => Create(schedule.Cron, schedule.TimeZone, schedule.Every);

    /// <summary>
    /// The occurrence to wait for once a schedule has fired at <paramref name="now"/>: an interval keeps its rhythm
    /// when on time; after a gap (every daemon was down) the next occurrence is the first after now, so missed
    /// ones amount to the single run just fired, never a burst.
    /// </summary>
    public static DateTimeOffset NextAfterFiring(Records.ScheduleRecord schedule, DateTimeOffset now)
    {
        var recurrence = For(schedule);
        if (recurrence._every is { } interval && schedule.NextRunAt + interval > now)
        {
            return schedule.NextRunAt + interval;
        }

        return recurrence.NextAfter(now);
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>.</summary>
    public DateTimeOffset NextAfter(DateTimeOffset after)
    {
        if (_every is { } interval)
        {
            return after + interval;
        }

        return _cron!.GetNextOccurrence(after, _zone)
            ?? throw new CarrotInputException("This cron expression has no future occurrence.");
    }

    private static CronExpression ParseCron(string expression)
    {
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields is not (5 or 6))
        {
            throw new CarrotInputException($"'{InputEcho.Shorten(expression)}' is not a cron expression: use 5 fields (minute hour day month weekday, e.g. \"*/5 * * * *\") or 6 with seconds first.");
        }

        try
        {
            return CronExpression.Parse(expression, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            throw new CarrotInputException($"'{InputEcho.Shorten(expression)}' is not a valid cron expression: {e.Message}");
        }
    }

    private static TimeZoneInfo FindZone(string? timeZone)
    {
        if (timeZone is null)
        {
            return TimeZoneInfo.Utc;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new CarrotInputException($"'{InputEcho.Shorten(timeZone)}' is not a known time zone; use an IANA name such as Europe/Paris or America/New_York (see /usr/share/zoneinfo).");
        }
    }
}

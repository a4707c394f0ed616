using System.Diagnostics;
using System.Diagnostics.Metrics;
using Carrot.Storage;

namespace Carrot.Diagnostics.Telemetry;

/// <summary>
/// The instruments of the "Carrot" meter. Names follow OpenTelemetry's messaging conventions where one fits
/// (<c>messaging.client.sent.messages</c>, <c>messaging.process.duration</c>); the rest are <c>carrot.*</c>.
/// Units are UCUM: seconds for durations, <c>{task}</c> for counts. The full list is in the README.
/// </summary>
internal static class CarrotMetrics
{
    // Instruments are thread-safe and never change once made: one set for the process, as listeners subscribe by name.
    private static readonly Meter Meter = new(CarrotTelemetry.MeterName, CarrotTelemetry.Version);

    public static readonly Counter<long> Enqueued = Meter.CreateCounter<long>(
        "messaging.client.sent.messages", "{task}", "Tasks enqueued (recorded; published now or by a daemon later).");

    public static readonly Counter<long> Started = Meter.CreateCounter<long>(
        "carrot.task.started", "{task}", "Attempts started by this daemon.");

    public static readonly Counter<long> Finished = Meter.CreateCounter<long>(
        "carrot.task.finished", "{task}", "Attempts whose outcome was recorded, by outcome (succeeded, failed, cancelled, scheduled for a retry).");

    public static readonly Counter<long> Retries = Meter.CreateCounter<long>(
        "carrot.task.retries", "{task}", "Failed attempts that were scheduled to run again.");

    public static readonly Counter<long> Runaways = Meter.CreateCounter<long>(
        "carrot.task.runaways", "{task}", "Attempts that ignored their fired token past the grace and were left running (their outcome recorded).");

    public static readonly Counter<long> Rescues = Meter.CreateCounter<long>(
        "carrot.task.rescues", "{task}", "Running tasks taken back from a daemon that died or went silent (queued again, or ended when no attempt was left), by how it was noticed.");

    public static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        "messaging.process.duration", "s", "How long an attempt's code ran.");

    public static readonly Histogram<double> QueueWait = Meter.CreateHistogram<double>(
        "carrot.task.queue_wait", "s", "From queued (or due) to started.");

    /// <summary>Observable gauges read their values from <paramref name="source"/> at each collection.</summary>
    public static void ObserveGauges(ITaskGaugeSource source)
    {
        Meter.CreateObservableGauge("carrot.queue.depth", () => source.Queued(), "{task}", "Tasks queued, per worker.");
        Meter.CreateObservableGauge("carrot.task.running", () => source.Running(), "{task}", "Tasks running, per worker (over every daemon).");
        Meter.CreateObservableGauge("carrot.relay.backlog", () => source.RelayBacklog(), "{task}", "Queued tasks whose message the broker has not confirmed (the relay's work).");
    }

    /// <summary>Counts what a rescue took back; <paramref name="noticedBy"/> is <c>lease_expired</c> or <c>daemon_died</c>.</summary>
    public static void Rescued(RescuedTasks rescued, string noticedBy)
    {
        if (rescued.Total > 0)
        {
            Rescues.Add(rescued.Total, new KeyValuePair<string, object?>(MessagingAttributes.RescueReason, noticedBy));
        }
    }

    public static TagList TaskTags(string kallable, string worker) => new()
    {
        { MessagingAttributes.Kallable, kallable },
        { MessagingAttributes.Worker, worker },
    };
}

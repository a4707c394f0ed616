namespace Carrot.Bench.Reporting;

/// <summary>The raw figures of this machine (tasks or messages per second), for Carrot's figures to be read against.</summary>
internal sealed class Ceilings
{
    public double? BrokerPublish { get; set; }

    public double? BrokerConsume { get; set; }

    public double? SqliteBatched { get; set; }

    public double? SqliteSingle { get; set; }

    /// <summary>The end-to-end ceiling: a task needs a publish, a consume and its database work, whichever is slowest.</summary>
    public double? Pipeline =>
        BrokerPublish is { } p && BrokerConsume is { } c && SqliteBatched is { } s ? Math.Min(Math.Min(p, c), s) : null;
}

namespace Carrot.Lifecycle;

/// <summary>How an attempt's code ended, as the executor saw it, before any rule about retries or cancel requests.</summary>
internal enum AttemptEndKind
{
    /// <summary>It returned; its result is stored.</summary>
    Succeeded,

    /// <summary>It threw (or its result could not be turned into an outcome).</summary>
    Threw,

    /// <summary>Its timeout fired its token and it stopped.</summary>
    TimedOut,

    /// <summary>A cancel request fired its token and it stopped.</summary>
    Cancelled,

    /// <summary>Its timeout fired and it ignored its token past the runaway grace.</summary>
    RunawayAfterTimeout,

    /// <summary>A cancel request fired and it ignored its token past the runaway grace.</summary>
    RunawayAfterCancel,

    /// <summary>It could not be started: unknown kallable, arguments that do not bind, a bad [CarrotTask].</summary>
    Invalid,

    /// <summary>Carrot itself failed between the claim and the outcome; the task's code may not have run.</summary>
    Broken,
}

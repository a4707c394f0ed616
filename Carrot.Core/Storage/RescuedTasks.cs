namespace Carrot.Storage;

/// <summary>What a rescue did with the running tasks of a gone daemon (<see cref="OrphanRescue"/>).</summary>
/// <param name="Requeued">Queued again, their attempt counted.</param>
/// <param name="Ended">Failed with no attempt left, or cancelled because a cancel had been asked for.</param>
internal readonly record struct RescuedTasks(int Requeued, int Ended)
{
    public int Total => Requeued + Ended;
}

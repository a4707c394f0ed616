namespace Carrot.Storage;

/// <summary>What became of a task handed back by its daemon.</summary>
internal enum HandBack
{
    /// <summary>Back to queued, the attempt not counted.</summary>
    Queued,

    /// <summary>Someone had asked to cancel it, so it ended cancelled instead of starting again.</summary>
    Cancelled,

    /// <summary>The lease was lost (the task was rescued meanwhile); nothing changed.</summary>
    LeaseLost,
}

namespace Carrot.Storage.Rows;

internal sealed class ClaimRow
{
    public long Id { get; set; }
    public string Kallable { get; set; } = "";
    public string Args { get; set; } = "[]";
    public string Kwargs { get; set; } = "{}";
    public string Worker { get; set; } = "";
    public long Attempt { get; set; }
    public long MaxAttempts { get; set; }
    public string LeaseOwner { get; set; } = "";
    public long RunAlone { get; set; }
    public long? MaxRetries { get; set; }
    public long AttemptBase { get; set; }
    public long? TimeoutMs { get; set; }

    public ClaimedTask ToClaim() => new(Id, Kallable, Args, Kwargs, Worker, (int)Attempt, (int)MaxAttempts, LeaseOwner, RunAlone != 0)
    {
        MaxRetries = (int?)MaxRetries,
        AttemptBase = (int)AttemptBase,
        Timeout = TimeoutMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
    };
}

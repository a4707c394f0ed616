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

    public ClaimedTask ToClaim() => new(Id, Kallable, Args, Kwargs, Worker, (int)Attempt, (int)MaxAttempts, LeaseOwner, RunAlone != 0);
}

using Carrot.Errors;

namespace Carrot.Messaging;

/// <summary>
/// How a bulk dispatch went: per task, null when the broker confirmed it, else why not (the row waits for the relay);
/// and the database error that left confirmed tasks unmarked, if one did (the relay publishes those once more).
/// </summary>
internal sealed record DispatchReport(IReadOnlyList<string?> Errors, CarrotStoreException? MarkFailure)
{
    public int Published => Errors.Count(e => e is null);

    public string? FirstError => Errors.FirstOrDefault(e => e is not null);
}

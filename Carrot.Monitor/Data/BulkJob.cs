using Carrot.Monitor.Json;

namespace Carrot.Monitor.Data;

/// <summary>One bulk action under way or done; its counters are updated by the job and read by the progress page.</summary>
internal sealed class BulkJob(string id, string action, string scope, long? total)
{
    private long _done;
    private long _skipped;
    private long _failed;
    private long _searchedDownTo = -1;
    private volatile bool _finished;
    private volatile string? _lastError;

    public string Id { get; } = id;

    public void Did(long count) => Interlocked.Add(ref _done, count);

    public void Skipped(long count) => Interlocked.Add(ref _skipped, count);

    public void Failed(string error)
    {
        Interlocked.Increment(ref _failed);
        _lastError = error;
    }

    public void Finish() => _finished = true;

    /// <summary>A search has looked at every id down to <paramref name="id"/>.</summary>
    public void SearchedDownTo(long id) => Interlocked.Exchange(ref _searchedDownTo, id);

    public BulkJobView View() => new(Id, action, scope, total, Interlocked.Read(ref _done), Interlocked.Read(ref _skipped), Interlocked.Read(ref _failed), _finished, _lastError,
        Interlocked.Read(ref _searchedDownTo) is >= 0 and var searched ? searched : null);
}

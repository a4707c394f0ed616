using System.Collections.Concurrent;
using System.Security.Cryptography;
using Carrot.Errors;
using Carrot.Storage.Monitoring;
using Microsoft.AspNetCore.WebUtilities;

namespace Carrot.Monitor.Data;

/// <summary>
/// Retry, cancel or delete on a selection or on everything a filter matches, in batches of 500 ids read by keyset, so
/// a selection of a million rows never holds a lock or a list of its size. Retry and cancel go through the client's own
/// operations one task at a time (the CLI's rules: only failed or cancelled tasks are retried, finished ones cannot be
/// cancelled — those are counted as skipped); delete takes only finished tasks, as <c>tasks purge</c>. Jobs run on
/// the application's lifetime, not the request's, and the last 50 are kept for their progress pages.
/// </summary>
internal sealed class BulkActions(CancellationToken stopping)
{
    public const int BatchSize = 500;
    private const int Kept = 50;
    private readonly ConcurrentDictionary<string, BulkJob> _jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    public static readonly string[] Actions = ["retry", "cancel", "delete"];

    public BulkJob? Get(string id) => _jobs.GetValueOrDefault(id);

    public BulkJob Start(MonitorContext monitor, string action, MonitorTaskFilter? filter, IReadOnlyList<long> ids, long? total)
    {
        if (!Actions.Contains(action, StringComparer.Ordinal))
        {
            throw new CarrotInputException($"'{action}' is not a bulk action: use retry, cancel or delete.");
        }

        var id = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(9));
        var job = new BulkJob(id, action, filter is null ? $"{ids.Count} selected" : TaskFilterQuery.Describe(filter), total);
        _jobs[id] = job;
        _order.Enqueue(id);
        while (_order.Count > Kept && _order.TryDequeue(out var old))
        {
            _jobs.TryRemove(old, out _);
        }

        _ = Task.Run(() => RunAsync(monitor, job, action, filter, ids), CancellationToken.None);
        return job;
    }

    private async Task RunAsync(MonitorContext monitor, BulkJob job, string action, MonitorTaskFilter? filter, IReadOnlyList<long> ids)
    {
        try
        {
            var store = await monitor.StoreAsync(stopping);
            if (filter is null)
            {
                foreach (var batch in ids.Chunk(BatchSize))
                {
                    await ApplyAsync(monitor, store, job, action, batch);
                }
            }
            else
            {
                // A search walks the table a window at a time: a batch may be empty while older windows remain.
                long? before = null;
                do
                {
                    var batch = await store.IdsAsync(filter, before, BatchSize, stopping);
                    await ApplyAsync(monitor, store, job, action, batch.Rows);
                    if (batch.SearchedDownTo is { } searched)
                    {
                        job.SearchedDownTo(searched);
                    }

                    before = batch.Next;
                }
                while (before is not null && !stopping.IsCancellationRequested);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            job.Failed("The monitor stopped before the action was done; what was done is kept.");
        }
        catch (CarrotStoreException e)
        {
            job.Failed(e.Message);
        }
        finally
        {
            job.Finish();
        }
    }

    private async Task ApplyAsync(MonitorContext monitor, MonitorStore store, BulkJob job, string action, IReadOnlyList<long> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        if (action == "delete")
        {
            var deleted = await store.DeleteFinishedAsync(batch, stopping);
            job.Did(deleted.Count);
            job.Skipped(batch.Count - deleted.Count);
            return;
        }

        var client = await monitor.ClientAsync(stopping);
        foreach (var id in batch)
        {
            try
            {
                if (action == "retry")
                {
                    await client.RetryTaskAsync(id, stopping);
                }
                else
                {
                    await client.CancelTaskAsync(id, stopping);
                }

                job.Did(1);
            }
            catch (CarrotInputException)
            {
                // Not in a state for this action (or gone since): the CLI would refuse it too.
                job.Skipped(1);
            }
        }
    }
}

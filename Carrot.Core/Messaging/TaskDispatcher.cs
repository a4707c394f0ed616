using Carrot.Errors;
using Carrot.Storage;

namespace Carrot.Messaging;

/// <summary>
/// Publishing and marking published, in one place for the producer (single and bulk), the relay and the scheduler:
/// a committed row's id is published persistently with a confirm, and only a confirmed id gets <c>published_at</c>.
/// A task the broker did not confirm stays unpublished, and a daemon's relay publishes it later; a task published
/// but not marked (the database failed in between) is published again by the relay, and the claim drops the
/// duplicate. So a row is never marked published without a confirmed message, and never lost.
/// </summary>
internal sealed class TaskDispatcher(TaskPublisher publisher, TaskStore tasks)
{
    public const string CancelledReason = "Cancelled before RabbitMQ confirmed the message.";

    /// <summary>Publishes one task and marks it; returns why not when the broker did not confirm (the row waits for the relay).</summary>
    public async Task<string?> DispatchAsync(UnpublishedTask task, CancellationToken cancellationToken)
    {
        try
        {
            await publisher.PublishAsync(new PublishItem(task.Id, task.Worker, (int)task.Priority, task.TraceParent), cancellationToken);
        }
        catch (BrokerUnavailableException e)
        {
            return e.Message;
        }
        catch (OperationCanceledException)
        {
            // The row is committed: the caller must still learn its id; the relay publishes it.
            return CancelledReason;
        }

        await MarkAsync([task.Id], cancellationToken);
        return null;
    }

    /// <summary>
    /// Publishes many tasks in windows of <see cref="TaskPublisher.MaxInFlight"/> whose confirms are in flight together,
    /// and marks each window's confirmed ids with one UPDATE while the next window's confirms are awaited. After a
    /// window of which nothing was confirmed (the broker is gone) the rest are not tried. Returns, per task, null when
    /// confirmed, else why not, and the database error that kept confirmed tasks unmarked, if any.
    /// </summary>
    public async Task<DispatchReport> DispatchManyAsync(IReadOnlyList<UnpublishedTask> due, CancellationToken cancellationToken)
    {
        var errors = new string?[due.Count];
        var marking = Task.FromResult<CarrotStoreException?>(null);
        CarrotStoreException? markFailure = null;
        string? stopped = null;
        for (var start = 0; start < due.Count; start += TaskPublisher.MaxInFlight)
        {
            var count = Math.Min(TaskPublisher.MaxInFlight, due.Count - start);
            if (stopped is null && cancellationToken.IsCancellationRequested)
            {
                stopped = CancelledReason;
            }

            if (stopped is not null)
            {
                // The broker is gone or the caller gave up: the rest are saved, and the relay publishes them.
                Array.Fill(errors, stopped, start, count);
                continue;
            }

            var items = new PublishItem[count];
            for (var i = 0; i < count; i++)
            {
                var task = due[start + i];
                items[i] = new PublishItem(task.Id, task.Worker, (int)task.Priority, task.TraceParent);
            }

            string?[] window;
            try
            {
                window = await publisher.PublishManyAsync(items, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                window = Enumerable.Repeat<string?>(CancelledReason, count).ToArray();
            }

            window.CopyTo(errors, start);
            var confirmed = new List<long>(count);
            for (var i = 0; i < count; i++)
            {
                if (window[i] is null)
                {
                    confirmed.Add(items[i].TaskId);
                }
            }

            if (confirmed.Count == 0)
            {
                stopped = window[^1];
            }

            // The previous window's UPDATE ran while this window's confirms were in flight; SQLite calls are
            // synchronous underneath, hence Task.Run to overlap them.
            markFailure ??= await marking;
            marking = Task.Run(() => MarkAsync(confirmed, cancellationToken), CancellationToken.None);
        }

        markFailure ??= await marking;
        return new DispatchReport(errors, markFailure);
    }

    // Never throws: the broker has the messages, and an unmarked row is published once more by the relay.
    private async Task<CarrotStoreException?> MarkAsync(List<long> ids, CancellationToken cancellationToken)
    {
        try
        {
            await (ids.Count == 1 ? tasks.MarkPublishedAsync(ids[0], cancellationToken) : tasks.MarkPublishedManyAsync(ids, cancellationToken));
            return null;
        }
        catch (CarrotStoreException e)
        {
            return e;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }
}

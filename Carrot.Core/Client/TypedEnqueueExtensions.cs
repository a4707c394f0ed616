using System.Linq.Expressions;
using Carrot.Records;

namespace Carrot.Client;

/// <summary>
/// Enqueue written as a C# call: <c>client.EnqueueAsync(() =&gt; Jobs.Bark("Rex", 2))</c>, or
/// <c>client.EnqueueAsync&lt;Greeter&gt;(g =&gt; g.Greet("Ada", default))</c> for an instance method. The row is the one
/// the string form writes (see <see cref="KallableExpression"/>). For a delay, retries or a timeout, pass
/// <c>KallableExpression.ToRequest(…) with { … }</c> to <see cref="CarrotClient.EnqueueAsync(EnqueueRequest, CancellationToken)"/>.
/// </summary>
public static class TypedEnqueueExtensions
{
    /// <summary>Enqueues a call of a static task method, e.g. <c>() =&gt; Jobs.Bark("Rex", 2)</c>.</summary>
    /// <param name="client">The client.</param>
    /// <param name="call">One call of a public static method, with constants or captured values as arguments.</param>
    /// <param name="worker">The worker whose queue it goes to.</param>
    /// <param name="priority">0 (lowest) to 9.</param>
    /// <param name="cancellationToken">Stops the enqueue; a task already saved stays saved.</param>
    /// <returns>As <see cref="CarrotClient.EnqueueAsync(EnqueueRequest, CancellationToken)"/>.</returns>
    public static Task<EnqueueResult> EnqueueAsync(this CarrotClient client, Expression<Action> call, string worker = WorkerRecord.DefaultName, int priority = 0, CancellationToken cancellationToken = default)
        => Enqueue(client, KallableExpression.ToRequest(call), worker, priority, cancellationToken);

    /// <summary>Enqueues a call of an instance method of <typeparamref name="T"/>, which carrotd creates, e.g. <c>(Greeter g) =&gt; g.Greet("Ada", default)</c>.</summary>
    /// <typeparam name="T">The public class that declares the method.</typeparam>
    /// <param name="client">The client.</param>
    /// <param name="call">One call on the lambda's parameter, with constants or captured values as arguments.</param>
    /// <param name="worker">The worker whose queue it goes to.</param>
    /// <param name="priority">0 (lowest) to 9.</param>
    /// <param name="cancellationToken">Stops the enqueue; a task already saved stays saved.</param>
    /// <returns>As <see cref="CarrotClient.EnqueueAsync(EnqueueRequest, CancellationToken)"/>.</returns>
    public static Task<EnqueueResult> EnqueueAsync<T>(this CarrotClient client, Expression<Action<T>> call, string worker = WorkerRecord.DefaultName, int priority = 0, CancellationToken cancellationToken = default)
        => Enqueue(client, KallableExpression.ToRequest(call), worker, priority, cancellationToken);

    /// <summary>As <see cref="EnqueueAsync(CarrotClient, Expression{Action}, string, int, CancellationToken)"/>, for a task method that returns a task.</summary>
    /// <param name="client">The client.</param>
    /// <param name="call">One call of a public static method, with constants or captured values as arguments.</param>
    /// <param name="worker">The worker whose queue it goes to.</param>
    /// <param name="priority">0 (lowest) to 9.</param>
    /// <param name="cancellationToken">Stops the enqueue; a task already saved stays saved.</param>
    /// <returns>As <see cref="CarrotClient.EnqueueAsync(EnqueueRequest, CancellationToken)"/>.</returns>
    public static Task<EnqueueResult> EnqueueAsync(this CarrotClient client, Expression<Func<Task>> call, string worker = WorkerRecord.DefaultName, int priority = 0, CancellationToken cancellationToken = default)
        => Enqueue(client, KallableExpression.ToRequest(call), worker, priority, cancellationToken);

    /// <summary>As <see cref="EnqueueAsync{T}(CarrotClient, Expression{Action{T}}, string, int, CancellationToken)"/>, for a task method that returns a task.</summary>
    /// <typeparam name="T">The public class that declares the method.</typeparam>
    /// <param name="client">The client.</param>
    /// <param name="call">One call on the lambda's parameter, with constants or captured values as arguments.</param>
    /// <param name="worker">The worker whose queue it goes to.</param>
    /// <param name="priority">0 (lowest) to 9.</param>
    /// <param name="cancellationToken">Stops the enqueue; a task already saved stays saved.</param>
    /// <returns>As <see cref="CarrotClient.EnqueueAsync(EnqueueRequest, CancellationToken)"/>.</returns>
    public static Task<EnqueueResult> EnqueueAsync<T>(this CarrotClient client, Expression<Func<T, Task>> call, string worker = WorkerRecord.DefaultName, int priority = 0, CancellationToken cancellationToken = default)
        => Enqueue(client, KallableExpression.ToRequest(call), worker, priority, cancellationToken);

    private static Task<EnqueueResult> Enqueue(CarrotClient client, EnqueueRequest request, string worker, int priority, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.EnqueueAsync(request with { Worker = worker, Priority = priority }, cancellationToken);
    }
}

using System.Reflection;

namespace Carrot.Kallables;

/// <summary>
/// A chosen overload with its converted arguments. Slots for <c>CancellationToken</c> and <c>TaskContext</c>
/// are left empty and filled by the executor when it invokes.
/// </summary>
internal sealed record BoundCall(MethodInfo Method, object?[] Arguments, IReadOnlyList<int> CancellationTokenSlots, IReadOnlyList<int> TaskContextSlots);

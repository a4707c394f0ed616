using System.Reflection;
using Carrot.Tasks;

namespace Carrot.Kallables;

/// <summary>A kallable's own retry and timeout defaults, from <see cref="CarrotTaskAttribute"/> on the method or its class.</summary>
internal sealed record TaskDefaults(int? MaxRetries, TimeSpan? Timeout)
{
    public static readonly TaskDefaults None = new(null, null);

    public static TaskDefaults For(MethodInfo method)
    {
        var onMethod = method.GetCustomAttribute<CarrotTaskAttribute>();
        var onType = method.DeclaringType?.GetCustomAttribute<CarrotTaskAttribute>();
        int? retries = onMethod is { MaxRetries: >= 0 } ? onMethod.MaxRetries : onType is { MaxRetries: >= 0 } ? onType.MaxRetries : null;
        double? seconds = onMethod is { TimeoutSeconds: > 0 } ? onMethod.TimeoutSeconds : onType is { TimeoutSeconds: > 0 } ? onType.TimeoutSeconds : null;
        return new TaskDefaults(retries, seconds is { } s ? TimeSpan.FromSeconds(s) : null);
    }
}

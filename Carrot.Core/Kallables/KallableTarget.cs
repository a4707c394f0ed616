using System.Reflection;

namespace Carrot.Kallables;

/// <summary>A kallable name found in a task assembly, with every public overload of that name.</summary>
internal sealed record KallableTarget(string Name, Type Type, IReadOnlyList<MethodInfo> Overloads);

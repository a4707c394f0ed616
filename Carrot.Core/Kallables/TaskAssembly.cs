using System.Reflection;

namespace Carrot.Kallables;

/// <summary>One loaded task assembly: where it came from, and the collectible context that holds it.</summary>
internal sealed record TaskAssembly(string Path, Assembly Assembly, TaskAssemblyLoadContext Context);

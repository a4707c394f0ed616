namespace Carrot.Monitor.Json;

/// <summary>A refused request: the one line that says what is wrong and what to do.</summary>
internal sealed record ErrorView(string Error);

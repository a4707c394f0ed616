namespace Carrot.Storage;

/// <summary>A validated request, ready to insert.</summary>
internal sealed record NewTask(string Kallable, string Args, string Kwargs, string Worker, int Priority, int MaxAttempts);

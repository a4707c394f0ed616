namespace Carrot.Monitor.Json;

/// <summary>
/// A bulk action's progress: how many it will touch (null for a search, which is not counted up front: see
/// <c>SearchedDownTo</c>, the lowest id looked at so far), how many it did, skipped (not in a state for it) and failed.
/// </summary>
internal sealed record BulkJobView(string Id, string Action, string Scope, long? Total, long Done, long Skipped, long Failed, bool Finished, string? LastError, long? SearchedDownTo);

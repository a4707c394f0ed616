namespace Carrot.Storage.Monitoring;

/// <summary>
/// How many tasks a filter matches. For a filter searched a window at a time, <paramref name="SearchedDownTo"/> says how
/// far the count looked (the newest <see cref="MonitorStore.DefaultSearchWindow"/> ids, down to that id): older matches are
/// not counted. Null when the count is over the whole table.
/// </summary>
internal sealed record FilterCount(long Count, long? SearchedDownTo);

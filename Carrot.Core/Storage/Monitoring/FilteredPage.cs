namespace Carrot.Storage.Monitoring;

/// <summary>
/// One keyset page under a filter, newest first. <paramref name="Next"/> is the <c>before</c> of the page that follows,
/// null at the end. A filter that no index narrows is searched one window of ids at a time
/// (<see cref="MonitorStore.DefaultSearchWindow"/>): then <paramref name="SearchedDownTo"/> is the lowest id this page looked
/// at, and a page may hold fewer rows than asked for (even none) while <paramref name="Next"/> still goes on.
/// </summary>
internal sealed record FilteredPage<T>(IReadOnlyList<T> Rows, long? Next, long? SearchedDownTo);

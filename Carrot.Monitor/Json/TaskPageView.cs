using Carrot.Cli.Output.Views;

namespace Carrot.Monitor.Json;

/// <summary>
/// <c>GET api/tasks</c>: one keyset page, newest first; <c>next</c> is the <c>before</c> of the next page, null at the end.
/// A search (or a kallable prefix or time range) looks at most at 10,000 ids a call: <c>searchedDownTo</c> is the lowest
/// id it looked at (null for other filters), and the page may hold fewer tasks than asked for while <c>next</c> goes on.
/// </summary>
internal sealed record TaskPageView(IReadOnlyList<TaskView> Tasks, long? Next, long? SearchedDownTo, IReadOnlyDictionary<string, long> Counts);

using Carrot.Cli.Output.Views;

namespace Carrot.Monitor.Json;

/// <summary><c>GET api/tasks</c>: one keyset page, newest first; <c>next</c> is the <c>before</c> of the next page, null at the end.</summary>
internal sealed record TaskPageView(IReadOnlyList<TaskView> Tasks, long? Next, IReadOnlyDictionary<string, long> Counts);

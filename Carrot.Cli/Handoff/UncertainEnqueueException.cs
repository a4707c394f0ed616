namespace Carrot.Cli.Handoff;

/// <summary>carrotd took the task and then gave no answer: it may have recorded it. Reported, never retried (that could record it twice).</summary>
internal sealed class UncertainEnqueueException(string path, string why)
    : Exception($"carrotd took the task on {path} but then {why}, so it may or may not be recorded. See 'carrot tasks list'; enqueue with --key to make a second try safe.");

namespace Carrot.Lifecycle;

/// <summary>What the outcome rules need from the configuration.</summary>
internal sealed record OutcomeSettings(int ConfiguredMaxAttempts, int MaxErrorChars);

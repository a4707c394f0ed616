namespace Carrot.Storage;

/// <summary>What <see cref="StoreCopy"/> copied: rows per table, from where to where (both shown redacted), and how long it took.</summary>
internal sealed record CopyReport(string From, string To, IReadOnlyDictionary<string, long> Rows, TimeSpan Elapsed);

namespace Carrot.Tests;

/// <summary>The two engines the store contract runs on; conformance fixtures run once per value.</summary>
public enum StoreKind
{
    Sqlite,
    Postgres,
}

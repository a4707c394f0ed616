namespace Carrot.Bench.Infrastructure;

/// <summary>The engine a measurement's store runs on: an SQLite file (the default) or a PostgreSQL database.</summary>
internal enum BenchStore
{
    Sqlite,
    Postgres,
}

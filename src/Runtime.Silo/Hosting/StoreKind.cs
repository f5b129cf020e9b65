namespace Runtime.Silo.Hosting;

/// <summary>Which config store backend the silo uses.</summary>
public enum StoreKind
{
    /// <summary>Embedded SQLite file under the data directory (default).</summary>
    Sqlite,

    /// <summary>PostgreSQL; recognised but not available in this version.</summary>
    Postgres,
}

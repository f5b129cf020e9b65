using Microsoft.Data.Sqlite;

namespace Runtime.Silo.Store;

/// <summary>
/// The SQLite schema as an ordered list of migrations. <c>schema_version</c> records each applied
/// migration; opening the store applies the missing ones in one transaction each.
/// </summary>
internal static class StoreSchema
{
    /// <summary>Migrations by version; append only, never edit a shipped one.</summary>
    private static readonly string[] Migrations =
    [
        // 1: resources, global revision, change log.
        """
        CREATE TABLE resources (
            kind TEXT NOT NULL,
            namespace TEXT NOT NULL,
            name TEXT NOT NULL,
            api_version TEXT NOT NULL,
            labels TEXT NOT NULL,
            annotations TEXT NOT NULL,
            spec TEXT NOT NULL,
            resource_version INTEGER NOT NULL,
            generation INTEGER NOT NULL,
            uid TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (kind, namespace, name)
        ) WITHOUT ROWID;
        CREATE TABLE store_state (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            revision INTEGER NOT NULL,
            compacted_revision INTEGER NOT NULL
        );
        INSERT INTO store_state (id, revision, compacted_revision) VALUES (1, 0, 0);
        CREATE TABLE change_log (
            revision INTEGER PRIMARY KEY,
            type INTEGER NOT NULL,
            kind TEXT NOT NULL,
            namespace TEXT NOT NULL,
            resource TEXT NOT NULL,
            changed_at INTEGER NOT NULL
        );
        CREATE INDEX change_log_changed_at ON change_log (changed_at);
        """,
    ];

    public static int LatestVersion => Migrations.Length;

    /// <summary>Creates or migrates the schema; returns the version before migration.</summary>
    public static int Migrate(SqliteConnection connection, TimeProvider time)
    {
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);";
            create.ExecuteNonQuery();
        }

        int current;
        using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version;";
            current = Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        if (current > LatestVersion)
        {
            throw new InvalidOperationException(
                $"the database schema is version {current} but this silo knows versions up to {LatestVersion}; run a newer silo or point --data-dir (MESH_DATA_DIR) elsewhere");
        }

        for (var version = current + 1; version <= LatestVersion; version++)
        {
            using var transaction = connection.BeginTransaction();
            using (var migrate = connection.CreateCommand())
            {
                migrate.Transaction = transaction;
                migrate.CommandText = Migrations[version - 1];
                migrate.ExecuteNonQuery();
            }

            using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_version (version, applied_at) VALUES ($version, $at);";
                record.Parameters.AddWithValue("$version", version);
                record.Parameters.AddWithValue("$at", time.GetUtcNow().ToUnixTimeMilliseconds());
                record.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        return current;
    }
}

using Microsoft.Data.Sqlite;

namespace Runtime.Silo.Ca;

/// <summary>
/// The CA's secrets in the config store's SQLite file, table <c>ca_material</c> (name → bytes). The root's
/// private key is stored there unencrypted: anyone who can read the database can mint workload certificates,
/// so protect the data directory like a key file (or plug in a CA with <c>--ca-dir</c>).
/// </summary>
internal sealed class CaMaterialStore(string databasePath)
{
    /// <summary>
    /// Returns the stored values of <paramref name="names"/>; when none is stored yet, stores what
    /// <paramref name="create"/> makes, in one immediate transaction so that silos starting together agree.
    /// </summary>
    public IReadOnlyDictionary<string, byte[]> GetOrCreate(IReadOnlyList<string> names, Func<IReadOnlyDictionary<string, byte[]>> create, long nowUnixMs)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(create);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(databasePath), Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false, DefaultTimeout = 30 }.ToString();
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        Execute(connection, null, "PRAGMA busy_timeout=5000; CREATE TABLE IF NOT EXISTS ca_material (name TEXT PRIMARY KEY, value BLOB NOT NULL, created_at INTEGER NOT NULL) WITHOUT ROWID;");
        using var transaction = connection.BeginTransaction(deferred: false);
        var found = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            using var read = connection.CreateCommand();
            read.Transaction = transaction;
            read.CommandText = "SELECT value FROM ca_material WHERE name = $name;";
            read.Parameters.AddWithValue("$name", name);
            if (read.ExecuteScalar() is byte[] value)
            {
                found[name] = value;
            }
        }

        if (found.Count == names.Count)
        {
            return found;
        }

        if (found.Count > 0)
        {
            throw new InvalidOperationException($"the CA material in {databasePath} is incomplete (has {string.Join(", ", found.Keys)}, lacks {string.Join(", ", names.Except(found.Keys))}); restore the database from a backup");
        }

        var created = create();
        foreach (var name in names)
        {
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO ca_material (name, value, created_at) VALUES ($name, $value, $at);";
            insert.Parameters.AddWithValue("$name", name);
            insert.Parameters.AddWithValue("$value", created[name]);
            insert.Parameters.AddWithValue("$at", nowUnixMs);
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
        return created;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

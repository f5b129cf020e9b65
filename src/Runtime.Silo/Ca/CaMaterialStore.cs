using Microsoft.Data.Sqlite;

namespace Runtime.Silo.Ca;

/// <summary>
/// The CA's secrets in the config store's SQLite file, table <c>ca_material</c> (name → bytes). The root's
/// private key is stored there unencrypted: anyone who can read the database can mint workload certificates,
/// so protect the data directory like a key file (or plug in a CA with <c>--ca-dir</c>). Every write runs in one
/// immediate transaction, so silos sharing the database never see half of a change.
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
        using var connection = Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        var found = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (Read(connection, transaction, name) is { } value)
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
            Write(connection, transaction, name, created[name], nowUnixMs);
        }

        transaction.Commit();
        return created;
    }

    /// <summary>The stored value of <paramref name="name"/>, or null.</summary>
    public byte[]? Read(string name)
    {
        using var connection = Open();
        return Read(connection, null, name);
    }

    /// <summary>
    /// Reads, changes and writes in one immediate transaction: <paramref name="change"/> gets a reader of the
    /// current values and returns the rows to write; when it throws, nothing is written.
    /// </summary>
    public void Update(Func<Func<string, byte[]?>, IReadOnlyDictionary<string, byte[]>> change, long nowUnixMs)
    {
        ArgumentNullException.ThrowIfNull(change);
        using var connection = Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        var rows = change(name => Read(connection, transaction, name));
        foreach (var (name, value) in rows)
        {
            Write(connection, transaction, name, value, nowUnixMs);
        }

        transaction.Commit();
    }

    private SqliteConnection Open()
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(databasePath), Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false, DefaultTimeout = 30 }.ToString();
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA busy_timeout=5000; CREATE TABLE IF NOT EXISTS ca_material (name TEXT PRIMARY KEY, value BLOB NOT NULL, created_at INTEGER NOT NULL) WITHOUT ROWID;";
            command.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static byte[]? Read(SqliteConnection connection, SqliteTransaction? transaction, string name)
    {
        using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "SELECT value FROM ca_material WHERE name = $name;";
        read.Parameters.AddWithValue("$name", name);
        return read.ExecuteScalar() as byte[];
    }

    private static void Write(SqliteConnection connection, SqliteTransaction transaction, string name, byte[] value, long nowUnixMs)
    {
        using var write = connection.CreateCommand();
        write.Transaction = transaction;
        write.CommandText = "INSERT INTO ca_material (name, value, created_at) VALUES ($name, $value, $at) ON CONFLICT(name) DO UPDATE SET value = excluded.value, created_at = excluded.created_at;";
        write.Parameters.AddWithValue("$name", name);
        write.Parameters.AddWithValue("$value", value);
        write.Parameters.AddWithValue("$at", nowUnixMs);
        write.ExecuteNonQuery();
    }
}

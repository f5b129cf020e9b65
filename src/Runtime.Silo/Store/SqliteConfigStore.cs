using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Selection;
using Runtime.Silo.Metrics;

namespace Runtime.Silo.Store;

/// <summary>
/// The embedded config store: one SQLite file in WAL mode with <c>synchronous=FULL</c>.
/// </summary>
/// <remarks>
/// Durability: each apply or delete is one SQLite transaction that also appends its change-log entries
/// and advances the store revision. With <c>synchronous=FULL</c> the WAL is fsynced before the commit
/// returns, so a task that completed was durable; a process killed mid-write leaves a transaction that
/// SQLite discards on the next open. A restart therefore serves exactly what was acknowledged.
/// Writes are serialized by one writer connection under a lock (SQLite allows one writer anyway);
/// reads use pooled connections and see committed snapshots without blocking the writer.
/// </remarks>
internal sealed partial class SqliteConfigStore : IConfigStore
{
    private const string ResourceColumns =
        "kind, namespace, name, api_version, labels, annotations, spec, resource_version, generation, uid, created_at, updated_at";

    private readonly ConfigStoreOptions _options;
    private readonly SiloMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<SqliteConfigStore> _logger;
    private readonly ChangeFeed _feed = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<string, long> _countsByKind = new(StringComparer.Ordinal);
    private SqliteConnection? _writer;
    private string _connectionString = "";
    private long _revision;
    private bool _disposed;

    public SqliteConfigStore(IOptions<ConfigStoreOptions> options, SiloMetrics metrics, TimeProvider time, ILogger<SqliteConfigStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    public string Name => "sqlite";

    /// <summary>Number of open watches (for tests and diagnostics).</summary>
    public int WatcherCount => _feed.SubscriberCount;

    public Task OpenAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_writer is not null)
        {
            throw new InvalidOperationException("the store is already open");
        }

        cancellationToken.ThrowIfCancellationRequested();
        var path = Path.GetFullPath(_options.DatabasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();

        var writer = new SqliteConnection(_connectionString);
        try
        {
            writer.Open();
            var journal = Scalar(writer, "PRAGMA journal_mode=WAL;") as string;
            if (!string.Equals(journal, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"SQLite refused WAL mode for {path} (journal_mode is {journal}); put --data-dir (MESH_DATA_DIR) on a local file system");
            }

            Execute(writer, "PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;");
            var sqliteVersion = Scalar(writer, "SELECT sqlite_version();") as string;
            var before = StoreSchema.Migrate(writer, _time);
            var (revision, _) = ReadState(writer, null);
            _revision = revision;
            using (var counts = writer.CreateCommand())
            {
                counts.CommandText = "SELECT kind, COUNT(*) FROM resources GROUP BY kind;";
                using var reader = counts.ExecuteReader();
                while (reader.Read())
                {
                    _countsByKind[reader.GetString(0)] = reader.GetInt64(1);
                }
            }

            _writer = writer;
            LogOpened(path, sqliteVersion ?? "?", before, StoreSchema.LatestVersion, revision);
        }
        catch
        {
            writer.Dispose();
            SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
            throw;
        }

        _metrics.Meter.CreateObservableGauge("silo.store.revision", () => Volatile.Read(ref _revision), description: "Current config store revision.");
        _metrics.Meter.CreateObservableGauge("silo.store.resources", ObserveCounts, description: "Resources stored, by kind.");
        return Task.CompletedTask;
    }

    public async Task<MeshResource?> GetAsync(ResourceKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var started = _time.GetTimestamp();
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            await using var connection = OpenReader();
            using var command = SelectOne(connection, null);
            return FindOne(command, key);
        }
        finally
        {
            _metrics.RecordStoreOperation("get", _time.GetElapsedTime(started));
        }
    }

    public async Task<ResourceList> ListAsync(string? kind, string? @namespace, LabelSelector? selector, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            await using var connection = OpenReader();
            using var transaction = connection.BeginTransaction(deferred: true);
            var (revision, _) = ReadState(connection, transaction);
            var resources = ReadResources(connection, transaction, kind, @namespace, selector, cancellationToken);
            transaction.Commit();
            return new ResourceList(resources, revision);
        }
        finally
        {
            _metrics.RecordStoreOperation("list", _time.GetElapsedTime(started));
        }
    }

    public async Task<long> GetRevisionAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            await using var connection = OpenReader();
            return ReadState(connection, null).Revision;
        }
        finally
        {
            _metrics.RecordStoreOperation("revision", _time.GetElapsedTime(started));
        }
    }

    public void CompleteWatches() => _feed.CompleteAll();

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _feed.CompleteAll();
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_writer is { } writer)
            {
                // Folds the WAL back into the main file so a clean shutdown leaves one file.
                Execute(writer, "PRAGMA wal_checkpoint(TRUNCATE);");
                await writer.DisposeAsync().ConfigureAwait(false);
                _writer = null;
            }

            if (_connectionString.Length > 0)
            {
                SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
            }
        }
        finally
        {
            _writeLock.Release();
        }

        _writeLock.Dispose();
        LogClosed();
    }

    private SqliteConnection OpenReader()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_writer is null)
        {
            throw new InvalidOperationException("the store is not open; call OpenAsync first");
        }

        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private IEnumerable<Measurement<long>> ObserveCounts()
    {
        foreach (var (kind, count) in _countsByKind)
        {
            yield return new Measurement<long>(count, new KeyValuePair<string, object?>("kind", kind));
        }
    }

    private static List<MeshResource> ReadResources(
        SqliteConnection connection, SqliteTransaction? transaction, string? kind, string? @namespace, LabelSelector? selector, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            SELECT {ResourceColumns} FROM resources
            WHERE ($kind IS NULL OR kind = $kind) AND ($namespace IS NULL OR namespace = $namespace)
            ORDER BY kind, namespace, name;
            """;
        command.Parameters.AddWithValue("$kind", (object?)kind ?? DBNull.Value);
        command.Parameters.AddWithValue("$namespace", (object?)@namespace ?? DBNull.Value);
        var resources = new List<MeshResource>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if ((resources.Count & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var resource = ReadResource(reader);
            if (selector is null || selector.Matches(resource.Metadata.Labels))
            {
                resources.Add(resource);
            }
        }

        return resources;
    }

    private static SqliteCommand SelectOne(SqliteConnection connection, SqliteTransaction? transaction)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {ResourceColumns} FROM resources WHERE kind = $kind AND namespace = $namespace AND name = $name;";
        command.Parameters.Add("$kind", SqliteType.Text);
        command.Parameters.Add("$namespace", SqliteType.Text);
        command.Parameters.Add("$name", SqliteType.Text);
        return command;
    }

    private static MeshResource? FindOne(SqliteCommand selectOne, ResourceKey key)
    {
        selectOne.Parameters[0].Value = key.Kind;
        selectOne.Parameters[1].Value = key.Namespace;
        selectOne.Parameters[2].Value = key.Name;
        using var reader = selectOne.ExecuteReader();
        return reader.Read() ? ReadResource(reader) : null;
    }

    private static MeshResource ReadResource(SqliteDataReader reader) => new()
    {
        Kind = reader.GetString(0),
        ApiVersion = reader.GetString(3),
        Spec = ResourceJson.ParseSpec(reader.GetString(6)),
        Metadata = new ObjectMeta
        {
            Namespace = reader.GetString(1),
            Name = reader.GetString(2),
            Labels = ResourceJson.ReadMap(reader.GetString(4)),
            Annotations = ResourceJson.ReadMap(reader.GetString(5)),
            ResourceVersion = reader.GetInt64(7),
            Generation = reader.GetInt64(8),
            Uid = reader.GetString(9),
            CreationTimestamp = ResourceJson.FromUnixMilliseconds(reader.GetInt64(10)),
            UpdateTimestamp = ResourceJson.FromUnixMilliseconds(reader.GetInt64(11)),
        },
    };

    private static (long Revision, long CompactedRevision) ReadState(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT revision, compacted_revision FROM store_state WHERE id = 1;";
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            throw new InvalidOperationException("the store_state row is missing; the database file is damaged");
        }

        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Config store opened: {Path} (SQLite {SqliteVersion}, schema {FromVersion} -> {ToVersion}, revision {Revision})")]
    private partial void LogOpened(string path, string sqliteVersion, int fromVersion, int toVersion, long revision);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Config store closed")]
    private partial void LogClosed();

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Change log compacted through revision {Revision}")]
    private partial void LogCompacted(long revision);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "A watcher fell {Capacity} events behind and was ended at revision {Revision}")]
    private partial void LogWatcherOverflowed(int capacity, long revision);
}

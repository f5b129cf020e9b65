namespace Runtime.Silo.Store;

/// <summary>Settings of the config store (derived from the silo options).</summary>
internal sealed class ConfigStoreOptions
{
    /// <summary>Path of the SQLite database file.</summary>
    public string DatabasePath { get; set; } = Path.Combine(".mesh", "mesh.db");

    /// <summary>The change log keeps at most this many newest entries (default 10,000).</summary>
    public int ChangeLogMaxEntries { get; set; } = 10_000;

    /// <summary>Change-log entries older than this are removed (default 1 hour).</summary>
    public TimeSpan ChangeLogMaxAge { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often idle compaction runs (default 1 minute).</summary>
    public TimeSpan CompactionInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Events buffered per watcher before it is ended as too slow (default 4,096).</summary>
    public int WatchBufferCapacity { get; set; } = 4096;
}

using System.Runtime.CompilerServices;

namespace Runtime.Silo.Store;

/// <summary>The change feed: snapshot or log replay, then live changes.</summary>
internal sealed partial class SqliteConfigStore
{
    public async IAsyncEnumerable<ConfigChange> WatchAsync(
        string? kind, string? @namespace, long sinceRevision, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sinceRevision);

        // Subscribe before reading, so nothing committed after the read can be missed; live events at or
        // below the read's revision are duplicates of what the read returned and are dropped below.
        using var subscription = _feed.Subscribe(kind, @namespace, _options.WatchBufferCapacity);
        var (initial, last) = await ReadInitialAsync(kind, @namespace, sinceRevision, cancellationToken).ConfigureAwait(false);
        foreach (var change in initial)
        {
            yield return change;
        }

        var reader = subscription.Reader;
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (reader.TryRead(out var change))
            {
                if (change.Revision <= last)
                {
                    continue;
                }

                last = change.Revision;
                yield return change;
            }
        }

        if (subscription.Overflowed)
        {
            LogWatcherOverflowed(subscription.Capacity, last);
            throw new WatchOverflowException(last, subscription.Capacity);
        }
    }

    private async Task<(List<ConfigChange> Changes, long Revision)> ReadInitialAsync(
        string? kind, string? @namespace, long sinceRevision, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        try
        {
            await using var connection = OpenReader();
            using var transaction = connection.BeginTransaction(deferred: true);
            var (revision, compacted) = ReadState(connection, transaction);
            var changes = new List<ConfigChange>();
            if (sinceRevision == 0)
            {
                foreach (var resource in ReadResources(connection, transaction, kind, @namespace, null, cancellationToken))
                {
                    changes.Add(new ConfigChange(ConfigChangeType.Added, resource, resource.Metadata.ResourceVersion));
                }

                changes.Add(new ConfigChange(ConfigChangeType.Bookmark, null, revision));
                return (changes, revision);
            }

            if (sinceRevision < compacted)
            {
                throw new RevisionCompactedException(sinceRevision, compacted);
            }

            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                SELECT revision, type, resource FROM change_log
                WHERE revision > $since AND ($kind IS NULL OR kind = $kind) AND ($namespace IS NULL OR namespace = $namespace)
                ORDER BY revision;
                """;
            command.Parameters.AddWithValue("$since", sinceRevision);
            command.Parameters.AddWithValue("$kind", (object?)kind ?? DBNull.Value);
            command.Parameters.AddWithValue("$namespace", (object?)@namespace ?? DBNull.Value);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                changes.Add(new ConfigChange((ConfigChangeType)reader.GetInt32(1), ResourceJson.ReadResource(reader.GetString(2)), reader.GetInt64(0)));
            }

            return (changes, Math.Max(revision, sinceRevision));
        }
        finally
        {
            _metrics.RecordStoreOperation("watch_read", _time.GetElapsedTime(started));
        }
    }
}

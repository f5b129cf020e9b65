using System.Text.Json;
using Microsoft.Data.Sqlite;
using Runtime.Abstractions.Resources;

namespace Runtime.Silo.Store;

/// <summary>Apply, delete and change-log compaction: everything that takes the write lock.</summary>
internal sealed partial class SqliteConfigStore
{
    public async Task<ApplyResult> ApplyAsync(IReadOnlyList<MeshResource> resources, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resources);
        CheckBatch(resources);
        var started = _time.GetTimestamp();
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var writer = Writer();
            var now = Now();
            var results = new List<ResourceApplyResult>(resources.Count);
            var changes = new List<ConfigChange>();
            long revision;
            using (var transaction = writer.BeginTransaction())
            {
                (revision, var compacted) = ReadState(writer, transaction);
                using var select = SelectOne(writer, transaction);
                using var upsert = Upsert(writer, transaction);
                using var append = AppendLog(writer, transaction);
                select.Prepare();
                upsert.Prepare();
                append.Prepare();
                for (var i = 0; i < resources.Count; i++)
                {
                    if ((i & 255) == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    var incoming = resources[i];
                    var existing = FindOne(select, incoming.Key);
                    var sentVersion = incoming.Metadata.ResourceVersion;
                    if (sentVersion > 0 && existing?.Metadata.ResourceVersion != sentVersion)
                    {
                        _metrics.RecordApplyConflict();
                        throw new ResourceConflictException(incoming.Key, sentVersion, existing?.Metadata.ResourceVersion, "apply");
                    }

                    if (existing is not null && SameContent(existing, incoming))
                    {
                        results.Add(new ResourceApplyResult(existing, ApplyOutcome.Unchanged));
                        continue;
                    }

                    revision++;
                    var specChanged = existing is null || !JsonElement.DeepEquals(existing.Spec, SpecOf(incoming));
                    var stored = Stamp(incoming, existing, revision, specChanged, now);
                    WriteResource(upsert, stored);
                    var change = new ConfigChange(existing is null ? ConfigChangeType.Added : ConfigChangeType.Modified, stored, revision);
                    WriteLog(append, change, now);
                    changes.Add(change);
                    results.Add(new ResourceApplyResult(stored, existing is null ? ApplyOutcome.Created : ApplyOutcome.Configured));
                }

                if (changes.Count > 0)
                {
                    compacted = CompactLog(writer, transaction, revision, compacted, now);
                    WriteState(writer, transaction, revision, compacted);
                }

                cancellationToken.ThrowIfCancellationRequested();
                if (dryRun)
                {
                    transaction.Rollback();
                    return new ApplyResult(results, revision, DryRun: true);
                }

                transaction.Commit();
            }

            // Committed: from here on nothing may fail the apply.
            Published(changes, revision);
            foreach (var group in results.GroupBy(r => r.Outcome))
            {
                _metrics.RecordApplied(group.Key, group.LongCount());
            }

            return new ApplyResult(results, revision, DryRun: false);
        }
        finally
        {
            _writeLock.Release();
            _metrics.RecordStoreOperation("apply", _time.GetElapsedTime(started));
        }
    }

    public async Task<DeleteResult?> DeleteAsync(ResourceKey key, long expectedResourceVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedResourceVersion);
        var started = _time.GetTimestamp();
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var writer = Writer();
            var now = Now();
            ConfigChange change;
            using (var transaction = writer.BeginTransaction())
            {
                var (revision, compacted) = ReadState(writer, transaction);
                MeshResource? existing;
                using (var select = SelectOne(writer, transaction))
                {
                    existing = FindOne(select, key);
                }

                if (existing is null)
                {
                    return null;
                }

                if (expectedResourceVersion > 0 && existing.Metadata.ResourceVersion != expectedResourceVersion)
                {
                    throw new ResourceConflictException(key, expectedResourceVersion, existing.Metadata.ResourceVersion, "delete");
                }

                revision++;
                using (var delete = writer.CreateCommand())
                {
                    delete.Transaction = transaction;
                    delete.CommandText = "DELETE FROM resources WHERE kind = $kind AND namespace = $namespace AND name = $name;";
                    delete.Parameters.AddWithValue("$kind", key.Kind);
                    delete.Parameters.AddWithValue("$namespace", key.Namespace);
                    delete.Parameters.AddWithValue("$name", key.Name);
                    delete.ExecuteNonQuery();
                }

                change = new ConfigChange(ConfigChangeType.Deleted, existing, revision);
                using (var append = AppendLog(writer, transaction))
                {
                    WriteLog(append, change, now);
                }

                compacted = CompactLog(writer, transaction, revision, compacted, now);
                WriteState(writer, transaction, revision, compacted);
                cancellationToken.ThrowIfCancellationRequested();
                transaction.Commit();
            }

            Published([change], change.Revision);
            return new DeleteResult(change.Resource!, change.Revision);
        }
        finally
        {
            _writeLock.Release();
            _metrics.RecordStoreOperation("delete", _time.GetElapsedTime(started));
        }
    }

    public async Task CompactAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var writer = Writer();
            using var transaction = writer.BeginTransaction();
            var (revision, compacted) = ReadState(writer, transaction);
            var cut = CompactLog(writer, transaction, revision, compacted, Now());
            if (cut != compacted)
            {
                WriteState(writer, transaction, revision, cut);
                transaction.Commit();
            }
        }
        finally
        {
            _writeLock.Release();
            _metrics.RecordStoreOperation("compact", _time.GetElapsedTime(started));
        }
    }

    private void Published(IReadOnlyList<ConfigChange> changes, long revision)
    {
        Volatile.Write(ref _revision, revision);
        foreach (var change in changes)
        {
            var delta = change.Type switch
            {
                ConfigChangeType.Added => 1,
                ConfigChangeType.Deleted => -1,
                _ => 0,
            };
            if (delta != 0)
            {
                _countsByKind.AddOrUpdate(change.Resource!.Kind, delta, (_, count) => count + delta);
            }
        }

        // Still under the write lock, so every watcher receives changes in revision order.
        _feed.Publish(changes);
    }

    /// <summary>
    /// Drops log entries beyond the newest <see cref="ConfigStoreOptions.ChangeLogMaxEntries"/> and those older
    /// than <see cref="ConfigStoreOptions.ChangeLogMaxAge"/>. Log revisions are contiguous, so "the newest N" is a
    /// revision cut. Returns the new compacted revision.
    /// </summary>
    private long CompactLog(SqliteConnection writer, SqliteTransaction transaction, long revision, long compacted, DateTimeOffset now)
    {
        var cut = Math.Max(compacted, revision - _options.ChangeLogMaxEntries);
        using (var aged = writer.CreateCommand())
        {
            aged.Transaction = transaction;
            aged.CommandText = "SELECT MAX(revision) FROM change_log WHERE changed_at < $threshold;";
            aged.Parameters.AddWithValue("$threshold", (now - _options.ChangeLogMaxAge).ToUnixTimeMilliseconds());
            if (aged.ExecuteScalar() is long agedCut)
            {
                cut = Math.Max(cut, agedCut);
            }
        }

        if (cut > compacted)
        {
            using var delete = writer.CreateCommand();
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM change_log WHERE revision <= $cut;";
            delete.Parameters.AddWithValue("$cut", cut);
            delete.ExecuteNonQuery();
            LogCompacted(cut);
        }

        return cut;
    }

    private static void WriteState(SqliteConnection writer, SqliteTransaction transaction, long revision, long compacted)
    {
        using var command = writer.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "UPDATE store_state SET revision = $revision, compacted_revision = $compacted WHERE id = 1;";
        command.Parameters.AddWithValue("$revision", revision);
        command.Parameters.AddWithValue("$compacted", compacted);
        command.ExecuteNonQuery();
    }

    private static SqliteCommand Upsert(SqliteConnection writer, SqliteTransaction transaction)
    {
        var command = writer.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            INSERT INTO resources ({ResourceColumns})
            VALUES ($kind, $namespace, $name, $apiVersion, $labels, $annotations, $spec, $resourceVersion, $generation, $uid, $createdAt, $updatedAt)
            ON CONFLICT (kind, namespace, name) DO UPDATE SET
                api_version = excluded.api_version, labels = excluded.labels, annotations = excluded.annotations,
                spec = excluded.spec, resource_version = excluded.resource_version, generation = excluded.generation,
                updated_at = excluded.updated_at;
            """;
        foreach (var name in (string[])["$kind", "$namespace", "$name", "$apiVersion", "$labels", "$annotations", "$spec"])
        {
            command.Parameters.Add(name, SqliteType.Text);
        }

        command.Parameters.Add("$resourceVersion", SqliteType.Integer);
        command.Parameters.Add("$generation", SqliteType.Integer);
        command.Parameters.Add("$uid", SqliteType.Text);
        command.Parameters.Add("$createdAt", SqliteType.Integer);
        command.Parameters.Add("$updatedAt", SqliteType.Integer);
        return command;
    }

    private static void WriteResource(SqliteCommand upsert, MeshResource resource)
    {
        var meta = resource.Metadata;
        var p = upsert.Parameters;
        p[0].Value = resource.Kind;
        p[1].Value = meta.Namespace;
        p[2].Value = meta.Name;
        p[3].Value = resource.ApiVersion;
        p[4].Value = ResourceJson.WriteMap(meta.Labels);
        p[5].Value = ResourceJson.WriteMap(meta.Annotations);
        p[6].Value = ResourceJson.SpecText(resource.Spec);
        p[7].Value = meta.ResourceVersion;
        p[8].Value = meta.Generation;
        p[9].Value = meta.Uid;
        p[10].Value = meta.CreationTimestamp!.Value.ToUnixTimeMilliseconds();
        p[11].Value = meta.UpdateTimestamp!.Value.ToUnixTimeMilliseconds();
        upsert.ExecuteNonQuery();
    }

    private static SqliteCommand AppendLog(SqliteConnection writer, SqliteTransaction transaction)
    {
        var command = writer.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO change_log (revision, type, kind, namespace, resource, changed_at)
            VALUES ($revision, $type, $kind, $namespace, $resource, $changedAt);
            """;
        command.Parameters.Add("$revision", SqliteType.Integer);
        command.Parameters.Add("$type", SqliteType.Integer);
        command.Parameters.Add("$kind", SqliteType.Text);
        command.Parameters.Add("$namespace", SqliteType.Text);
        command.Parameters.Add("$resource", SqliteType.Text);
        command.Parameters.Add("$changedAt", SqliteType.Integer);
        return command;
    }

    private static void WriteLog(SqliteCommand append, ConfigChange change, DateTimeOffset now)
    {
        var p = append.Parameters;
        p[0].Value = change.Revision;
        p[1].Value = (int)change.Type;
        p[2].Value = change.Resource!.Kind;
        p[3].Value = change.Resource.Metadata.Namespace;
        p[4].Value = ResourceJson.WriteResource(change.Resource);
        p[5].Value = now.ToUnixTimeMilliseconds();
        append.ExecuteNonQuery();
    }

    private static MeshResource Stamp(MeshResource incoming, MeshResource? existing, long revision, bool specChanged, DateTimeOffset now) => new()
    {
        ApiVersion = incoming.ApiVersion,
        Kind = incoming.Kind,
        Spec = SpecOf(incoming).Clone(),
        Metadata = new ObjectMeta
        {
            Name = incoming.Metadata.Name,
            Namespace = incoming.Metadata.Namespace,
            Labels = new Dictionary<string, string>(incoming.Metadata.Labels, StringComparer.Ordinal),
            Annotations = new Dictionary<string, string>(incoming.Metadata.Annotations, StringComparer.Ordinal),
            ResourceVersion = revision,
            Generation = existing is null ? 1 : existing.Metadata.Generation + (specChanged ? 1 : 0),
            Uid = existing?.Metadata.Uid ?? Guid.NewGuid().ToString("D"),
            CreationTimestamp = existing?.Metadata.CreationTimestamp ?? now,
            UpdateTimestamp = now,
        },
    };

    private static bool SameContent(MeshResource existing, MeshResource incoming) =>
        string.Equals(existing.ApiVersion, incoming.ApiVersion, StringComparison.Ordinal)
        && ResourceJson.MapsEqual(existing.Metadata.Labels, incoming.Metadata.Labels)
        && ResourceJson.MapsEqual(existing.Metadata.Annotations, incoming.Metadata.Annotations)
        && JsonElement.DeepEquals(existing.Spec, SpecOf(incoming));

    private static JsonElement SpecOf(MeshResource resource) =>
        resource.Spec.ValueKind == JsonValueKind.Undefined ? EmptySpec : resource.Spec;

    private static readonly JsonElement EmptySpec = ResourceJson.ParseSpec("{}");

    private static void CheckBatch(IReadOnlyList<MeshResource> resources)
    {
        var problems = new List<string>();
        var seen = new Dictionary<ResourceKey, int>(resources.Count);
        for (var i = 0; i < resources.Count; i++)
        {
            var resource = resources[i];
            if (resource is null)
            {
                problems.Add($"resources[{i}] is null");
                continue;
            }

            if (string.IsNullOrEmpty(resource.Kind) || string.IsNullOrEmpty(resource.Metadata.Namespace) || string.IsNullOrEmpty(resource.Metadata.Name))
            {
                problems.Add($"resources[{i}] ({resource.Key}) needs a kind, a namespace and a name");
                continue;
            }

            if (seen.TryGetValue(resource.Key, out var first))
            {
                problems.Add($"resources[{first}] and resources[{i}] are both {resource.Kind} {resource.Metadata.Namespace}/{resource.Metadata.Name}; a batch may name each resource once");
            }
            else
            {
                seen.Add(resource.Key, i);
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(resources));
        }
    }

    private SqliteConnection Writer()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _writer ?? throw new InvalidOperationException("the store is not open; call OpenAsync first");
    }

    // Stored with millisecond precision, so trim here and what apply returns equals what a later read returns.
    private DateTimeOffset Now() => ResourceJson.FromUnixMilliseconds(_time.GetUtcNow().ToUnixTimeMilliseconds());
}

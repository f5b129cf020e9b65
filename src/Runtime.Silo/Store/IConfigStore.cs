using System.Diagnostics.CodeAnalysis;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Selection;

namespace Runtime.Silo.Store;

/// <summary>
/// The versioned mesh config store. Every change gets the next value of one global, monotonically
/// increasing store revision; a resource's <c>resourceVersion</c> is the revision of its last change
/// and its <c>generation</c> counts spec changes. Every committed change is also an event on the
/// change feed (<see cref="WatchAsync"/>).
/// </summary>
/// <remarks>
/// Durability: a change is acknowledged (the returned task completes) only after its transaction has
/// committed to durable storage; a process killed mid-write leaves either all or none of an apply, and a
/// restart serves exactly what was acknowledged.
/// </remarks>
public interface IConfigStore : IAsyncDisposable
{
    /// <summary>Human-readable name of the backend, for example <c>sqlite</c>.</summary>
    string Name { get; }

    /// <summary>Opens the store, creating or migrating its schema. Must complete before any other call.</summary>
    /// <param name="cancellationToken">Cancels opening.</param>
    Task OpenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Creates or updates <paramref name="resources"/>, all or nothing, in one transaction.
    /// A resource whose apiVersion, spec (compared as JSON values, object key order ignored), labels and
    /// annotations equal the stored ones is <see cref="ApplyOutcome.Unchanged"/>: nothing is written for it
    /// and no event is raised. A resource with <c>Metadata.ResourceVersion</c> &gt; 0 must match the stored
    /// resourceVersion (and exist), or the whole apply fails with <see cref="ResourceConflictException"/>.
    /// </summary>
    /// <param name="resources">The resources; each (kind, namespace, name) at most once.</param>
    /// <param name="dryRun">Compute the outcomes without writing anything.</param>
    /// <param name="cancellationToken">Cancels the apply before it commits.</param>
    /// <exception cref="ArgumentException">The batch holds a key twice, or a resource lacks kind, namespace or name.</exception>
    /// <exception cref="ResourceConflictException">A resourceVersion did not match; nothing was written.</exception>
    Task<ApplyResult> ApplyAsync(IReadOnlyList<MeshResource> resources, bool dryRun, CancellationToken cancellationToken);

    /// <summary>One resource, or <see langword="null"/> when absent.</summary>
    /// <param name="key">Kind, namespace and name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<MeshResource?> GetAsync(ResourceKey key, CancellationToken cancellationToken);

    /// <summary>A consistent snapshot of the resources matching every given filter.</summary>
    /// <param name="kind">Only this kind; <see langword="null"/> for every kind.</param>
    /// <param name="namespace">Only this namespace; <see langword="null"/> for every namespace.</param>
    /// <param name="selector">Only resources whose labels match; <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    [SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "Kubernetes calls it namespace; callers are C#.")]
    Task<ResourceList> ListAsync(string? kind, string? @namespace, LabelSelector? selector, CancellationToken cancellationToken);

    /// <summary>Deletes one resource.</summary>
    /// <param name="key">Kind, namespace and name.</param>
    /// <param name="expectedResourceVersion">0 to delete unconditionally; otherwise the stored resourceVersion must match.</param>
    /// <param name="cancellationToken">Cancels the delete before it commits.</param>
    /// <returns>The deleted resource and the revision of the delete, or <see langword="null"/> when the resource was absent.</returns>
    /// <exception cref="ResourceConflictException">The resourceVersion did not match; nothing was deleted.</exception>
    Task<DeleteResult?> DeleteAsync(ResourceKey key, long expectedResourceVersion, CancellationToken cancellationToken);

    /// <summary>The current store revision (0 for an empty, never-written store).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<long> GetRevisionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Streams changes to resources of <paramref name="kind"/> in <paramref name="namespace"/>
    /// (<see langword="null"/> = all). With <paramref name="sinceRevision"/> = 0 the current state comes first
    /// as <see cref="ConfigChangeType.Added"/> events, then one <see cref="ConfigChangeType.Bookmark"/> carrying
    /// the snapshot revision, then live changes, with no gap and no duplicate. With N &gt; 0, every change
    /// after revision N is replayed from the change log, then live changes follow.
    /// Cancelling <paramref name="cancellationToken"/> ends the stream with <see cref="OperationCanceledException"/>;
    /// store shutdown (<see cref="CompleteWatches"/>) ends it normally.
    /// </summary>
    /// <param name="kind">Only this kind; <see langword="null"/> for every kind.</param>
    /// <param name="namespace">Only this namespace; <see langword="null"/> for every namespace.</param>
    /// <param name="sinceRevision">0 for state then changes; N to resume after revision N.</param>
    /// <param name="cancellationToken">Ends the watch.</param>
    /// <exception cref="RevisionCompactedException">The change log no longer reaches back to <paramref name="sinceRevision"/>.</exception>
    /// <exception cref="WatchOverflowException">The watcher fell too far behind; re-watch from the exception's revision.</exception>
    [SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "Kubernetes calls it namespace; callers are C#.")]
    IAsyncEnumerable<ConfigChange> WatchAsync(string? kind, string? @namespace, long sinceRevision, CancellationToken cancellationToken);

    /// <summary>Removes change-log entries beyond the configured retention.</summary>
    /// <param name="cancellationToken">Cancels compaction.</param>
    Task CompactAsync(CancellationToken cancellationToken);

    /// <summary>Ends every open watch normally (used at shutdown); later watches end immediately.</summary>
    void CompleteWatches();
}

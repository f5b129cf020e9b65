using Runtime.Abstractions.Resources;

namespace Runtime.Silo.Store;

/// <summary>One event of the change feed.</summary>
/// <param name="Type">Added, modified, deleted, or a bookmark.</param>
/// <param name="Resource">The resource after the change (for deletes: before); <see langword="null"/> for bookmarks.</param>
/// <param name="Revision">The store revision of the change; for a bookmark, the revision of the snapshot it ends.</param>
public sealed record ConfigChange(ConfigChangeType Type, MeshResource? Resource, long Revision);

using Runtime.Abstractions.Resources;

namespace Runtime.Silo.Store;

/// <summary>The outcome of a successful <see cref="IConfigStore.DeleteAsync"/>.</summary>
/// <param name="Resource">The resource as it was stored before the delete.</param>
/// <param name="Revision">The store revision of the delete.</param>
public sealed record DeleteResult(MeshResource Resource, long Revision);

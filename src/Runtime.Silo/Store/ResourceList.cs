using Runtime.Abstractions.Resources;

namespace Runtime.Silo.Store;

/// <summary>The outcome of <see cref="IConfigStore.ListAsync"/>: a consistent snapshot.</summary>
/// <param name="Resources">The matching resources ordered by kind, namespace and name.</param>
/// <param name="Revision">The store revision the snapshot was taken at; watch from it to follow changes.</param>
public sealed record ResourceList(IReadOnlyList<MeshResource> Resources, long Revision);

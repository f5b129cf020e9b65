using System.Collections.Immutable;
using Runtime.Abstractions.Resources;

namespace Runtime.Silo.Discovery;

/// <summary>The distributed part of the config store at one revision; immutable, swapped as a whole.</summary>
/// <param name="Resources">Resources of the kinds sidecars receive, by key.</param>
/// <param name="Revision">The store revision this view reflects.</param>
internal sealed record MeshConfigView(ImmutableDictionary<ResourceKey, DistributedResource> Resources, long Revision)
{
    public static readonly MeshConfigView Empty = new(ImmutableDictionary<ResourceKey, DistributedResource>.Empty, 0);

    /// <summary>The view after <paramref name="resource"/> was created or changed (a kind sidecars never see only moves the revision).</summary>
    public MeshConfigView With(MeshResource resource, long revision) =>
        DistributedResource.From(resource) is { } distributed
            ? new MeshConfigView(Resources.SetItem(resource.Key, distributed), revision)
            : this with { Revision = revision };

    /// <summary>The view after the resource at <paramref name="key"/> was deleted.</summary>
    public MeshConfigView Without(ResourceKey key, long revision) => new(Resources.Remove(key), revision);
}

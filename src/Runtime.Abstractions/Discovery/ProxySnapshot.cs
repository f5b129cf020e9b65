using Runtime.Abstractions.Resources;

namespace Runtime.Abstractions.Discovery;

/// <summary>
/// Everything one sidecar needs at one version: the routing resources visible to it and the services it can
/// call. Snapshots are complete (state of the world), so applying one never depends on the one before.
/// </summary>
public sealed record ProxySnapshot
{
    /// <summary>Opaque version; equal versions mean equal content.</summary>
    public required string Version { get; init; }

    /// <summary>When the control plane computed it.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>The proxy it was computed for.</summary>
    public string ProxyId { get; init; } = "";

    /// <summary>VirtualServices, DestinationRules, ServiceEntries (and later policies) visible to the proxy.</summary>
    public IReadOnlyList<MeshResource> Resources { get; init; } = [];

    /// <summary>Services and their endpoints.</summary>
    public IReadOnlyList<MeshService> Services { get; init; } = [];

    /// <summary>Store revision the snapshot was computed from.</summary>
    public long Revision { get; init; }

    /// <summary>The CA's trust bundle as of this snapshot; null when the control plane has no CA.</summary>
    public MeshTrustBundle? Trust { get; init; }
}

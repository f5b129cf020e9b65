using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Resources;

namespace Runtime.Silo.Discovery;

/// <summary>What every proxy of one namespace receives, with its version; shared by those proxies' snapshots.</summary>
internal sealed record SnapshotContent(IReadOnlyList<MeshResource> Resources, IReadOnlyList<MeshService> Services, string Version);

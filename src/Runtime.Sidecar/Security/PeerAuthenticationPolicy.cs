using System.Runtime.CompilerServices;
using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Security;
using Runtime.Sidecar.Routing;

namespace Runtime.Sidecar.Security;

/// <summary>
/// The inbound mTLS mode in force for this workload, resolved from the PeerAuthentication resources of a snapshot
/// as Istio does: the workload-selector policy's port-level mode for the app port, then its mode, then the
/// namespace policy, then the mesh policy (root namespace <c>mesh-system</c>, or <c>istio-system</c>); UNSET
/// inherits from the next level and PERMISSIVE is the default. Several policies at one level: the oldest wins
/// (then the first by name), as in Istio.
/// </summary>
internal sealed class PeerAuthenticationPolicy
{

    // One resolution per snapshot: recomputed when a push swaps the snapshot, read lock-free per connection.
    private static readonly ConditionalWeakTable<ProxySnapshot, PeerAuthenticationPolicy> Resolved = [];

    private PeerAuthenticationPolicy(MutualTlsMode mode, string source)
    {
        Mode = mode;
        Source = source;
    }

    /// <summary>The effective mode: never <see cref="MutualTlsMode.Unset"/>.</summary>
    public MutualTlsMode Mode { get; }

    /// <summary>Which policy decided (<c>namespace/name</c>), or <c>default</c>.</summary>
    public string Source { get; }

    /// <summary>The mode with no policy at all: PERMISSIVE.</summary>
    public static PeerAuthenticationPolicy Default { get; } = new(MutualTlsMode.Permissive, "default");

    /// <summary>The effective mode for <paramref name="identity"/>'s app port under <paramref name="snapshot"/> (cached per snapshot).</summary>
    public static PeerAuthenticationPolicy For(ProxySnapshot? snapshot, SidecarIdentity identity, int? appPort) =>
        snapshot is null ? Default : Resolved.GetValue(snapshot, s => Resolve(s.Resources, identity, appPort));

    /// <summary>Resolves the effective mode from <paramref name="resources"/>.</summary>
    public static PeerAuthenticationPolicy Resolve(IEnumerable<MeshResource> resources, SidecarIdentity identity, int? appPort)
    {
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(identity);
        var policies = new List<(MeshResource Resource, PeerAuthenticationSpec Spec)>();
        foreach (var resource in resources)
        {
            if (resource.Kind == MeshKinds.PeerAuthentication.Kind && MeshKinds.PeerAuthentication.Bind(resource.Spec).Value is PeerAuthenticationSpec spec)
            {
                policies.Add((resource, spec));
            }
        }

        policies.Sort((a, b) => Compare(a.Resource, b.Resource));
        var workload = policies.FirstOrDefault(p => p.Resource.Metadata.Namespace == identity.Namespace && p.Spec.Selector?.MatchLabels is { Count: > 0 } labels && Matches(labels, identity.Labels));
        var ns = policies.FirstOrDefault(p => p.Resource.Metadata.Namespace == identity.Namespace && p.Spec.Selector?.MatchLabels is null or { Count: 0 });
        var mesh = RootNamespaces.All.Select(root => policies.FirstOrDefault(p => p.Resource.Metadata.Namespace == root && p.Spec.Selector?.MatchLabels is null or { Count: 0 }))
            .FirstOrDefault(p => p.Resource is not null);

        if (workload.Resource is not null)
        {
            if (appPort is int port && workload.Spec.PortLevelMtls?.TryGetValue(port, out var portLevel) == true && Decided(portLevel) is { } portMode)
            {
                return new PeerAuthenticationPolicy(portMode, $"{Name(workload.Resource)} port {port}");
            }

            if (Decided(workload.Spec.Mtls) is { } mode)
            {
                return new PeerAuthenticationPolicy(mode, Name(workload.Resource));
            }
        }

        if (ns.Resource is not null && Decided(ns.Spec.Mtls) is { } nsMode)
        {
            return new PeerAuthenticationPolicy(nsMode, Name(ns.Resource));
        }

        if (mesh.Resource is not null && Decided(mesh.Spec.Mtls) is { } meshMode)
        {
            return new PeerAuthenticationPolicy(meshMode, Name(mesh.Resource));
        }

        return Default;
    }

    private static MutualTlsMode? Decided(MutualTls? mtls) => mtls?.Mode is { } mode && mode != MutualTlsMode.Unset ? mode : null;

    private static bool Matches(IReadOnlyDictionary<string, string> wanted, IReadOnlyDictionary<string, string> labels) =>
        wanted.All(pair => labels.TryGetValue(pair.Key, out var value) && value == pair.Value);

    private static int Compare(MeshResource a, MeshResource b)
    {
        var created = Nullable.Compare(a.Metadata.CreationTimestamp, b.Metadata.CreationTimestamp);
        return created != 0 ? created : string.CompareOrdinal(Name(a), Name(b));
    }

    private static string Name(MeshResource resource) => $"{resource.Metadata.Namespace}/{resource.Metadata.Name}";
}

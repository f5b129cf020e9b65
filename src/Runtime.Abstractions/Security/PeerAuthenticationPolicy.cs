using Runtime.Abstractions.Resources;

namespace Runtime.Abstractions.Security;

/// <summary>
/// The inbound mTLS mode in force for one workload port, resolved from PeerAuthentication resources as Istio does:
/// the workload-selector policy's port-level mode for the port, then its mode, then the namespace policy, then the
/// mesh policy (a root namespace, see <see cref="RootNamespaces"/>); UNSET inherits from the next level and
/// PERMISSIVE is the default. Several policies at one level: the oldest wins (then the first by name), as in Istio.
/// The sidecar enforces exactly this resolution and <c>meshctl x tls-check</c> reports it.
/// </summary>
public sealed class PeerAuthenticationPolicy
{
    private PeerAuthenticationPolicy(MutualTlsMode mode, string source)
    {
        Mode = mode;
        Source = source;
    }

    /// <summary>The effective mode: never <see cref="MutualTlsMode.Unset"/>.</summary>
    public MutualTlsMode Mode { get; }

    /// <summary>Which policy decided (<c>namespace/name</c>, with <c> port N</c> for a port-level mode), or <c>default</c>.</summary>
    public string Source { get; }

    /// <summary>The mode with no policy at all: PERMISSIVE.</summary>
    public static PeerAuthenticationPolicy Default { get; } = new(MutualTlsMode.Permissive, "default");

    /// <summary>Resolves the effective mode of a workload's <paramref name="port"/> from <paramref name="resources"/> (other kinds are ignored).</summary>
    /// <param name="resources">The resources in force, typically a proxy snapshot's or the whole store's.</param>
    /// <param name="namespace">The workload's namespace.</param>
    /// <param name="labels">The workload's labels, matched by <c>selector.matchLabels</c>.</param>
    /// <param name="port">The workload (app) port <c>portLevelMtls</c> is keyed by; null when it has none.</param>
    public static PeerAuthenticationPolicy Resolve(IEnumerable<MeshResource> resources, string @namespace, IReadOnlyDictionary<string, string> labels, int? port)
    {
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(@namespace);
        ArgumentNullException.ThrowIfNull(labels);
        var policies = new List<(MeshResource Resource, PeerAuthenticationSpec Spec)>();
        foreach (var resource in resources)
        {
            if (resource.Kind == MeshKinds.PeerAuthentication.Kind && MeshKinds.PeerAuthentication.Bind(resource.Spec).Value is PeerAuthenticationSpec spec)
            {
                policies.Add((resource, spec));
            }
        }

        policies.Sort((a, b) => Compare(a.Resource, b.Resource));
        var workload = policies.FirstOrDefault(p => p.Resource.Metadata.Namespace == @namespace && p.Spec.Selector?.MatchLabels is { Count: > 0 } wanted && Matches(wanted, labels));
        var ns = policies.FirstOrDefault(p => p.Resource.Metadata.Namespace == @namespace && p.Spec.Selector?.MatchLabels is null or { Count: 0 });
        var mesh = RootNamespaces.All.Select(root => policies.FirstOrDefault(p => p.Resource.Metadata.Namespace == root && p.Spec.Selector?.MatchLabels is null or { Count: 0 }))
            .FirstOrDefault(p => p.Resource is not null);

        if (workload.Resource is not null)
        {
            if (port is int number && workload.Spec.PortLevelMtls?.TryGetValue(number, out var portLevel) == true && Decided(portLevel) is { } portMode)
            {
                return new PeerAuthenticationPolicy(portMode, $"{Name(workload.Resource)} port {number}");
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

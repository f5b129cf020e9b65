using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Networking;
using Runtime.Sidecar.LoadBalancing;

namespace Runtime.Sidecar.Routing;

/// <summary>
/// An upstream cluster: the endpoints of one service (subset, port) that may take new requests, and the balancer
/// that picks among them. When no endpoint is eligible the cluster is still returned, empty: the caller answers
/// 503 with response flag <c>UH</c> (no healthy upstream); panic mode is not applied here.
/// </summary>
internal sealed class Cluster
{
    /// <summary>Creates a cluster.</summary>
    public Cluster(ClusterKey key, IReadOnlyList<MeshEndpoint> endpoints, LoadBalancer balancer, TrafficPolicy? policy, string? missingReason = null)
    {
        Key = key;
        Endpoints = endpoints;
        Balancer = balancer;
        Policy = policy;
        MissingReason = missingReason;
    }

    /// <summary>Which cluster this is.</summary>
    public ClusterKey Key { get; }

    /// <summary>Healthy endpoints matching the subset's labels; the only ones the balancer picks from.</summary>
    public IReadOnlyList<MeshEndpoint> Endpoints { get; }

    /// <summary>The balancer for the effective load-balancer policy.</summary>
    public LoadBalancer Balancer { get; }

    /// <summary>
    /// The effective traffic policy for this subset and port (port-level in subset &gt; subset &gt; port-level &gt;
    /// top-level, field by field), with <c>portLevelSettings</c> already folded in; null without a DestinationRule.
    /// </summary>
    public TrafficPolicy? Policy { get; }

    /// <summary>Why the cluster does not exist (unknown host or subset), or null when it does.</summary>
    public string? MissingReason { get; }
}

using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Networking;
using Runtime.Sidecar.LoadBalancing;
using Runtime.Sidecar.Resilience;

namespace Runtime.Sidecar.Routing;

/// <summary>
/// An upstream cluster: the endpoints of one service (subset, port) that may take new requests, and the balancer
/// that picks among them. When no endpoint is eligible the cluster is still returned, empty: the caller answers
/// 503 with response flag <c>UH</c> (no healthy upstream).
/// </summary>
/// <remarks>
/// With a <see cref="Resilience"/> state attached, <see cref="Balancer"/> picks only among endpoints that outlier
/// detection has not ejected. Ejections are rare and picks are hot, so the filtered balancer is rebuilt only when the
/// ejection version changes (one integer compare per pick otherwise). Below <c>minHealthPercent</c> non-ejected
/// endpoints the cluster panics, as Envoy does, and balances over all of them, ejected or not.
/// </remarks>
internal sealed class Cluster
{
    private readonly LoadBalancer _all;
    private readonly SimpleLoadBalancer _fallback;
    private EjectionView _view;

    /// <summary>Creates a cluster.</summary>
    public Cluster(ClusterKey key, IReadOnlyList<MeshEndpoint> endpoints, LoadBalancer balancer, TrafficPolicy? policy, string? missingReason = null, SimpleLoadBalancer fallback = SimpleLoadBalancer.LeastRequest)
    {
        Key = key;
        Endpoints = endpoints;
        _all = balancer;
        _fallback = fallback;
        Policy = policy;
        MissingReason = missingReason;
        _view = new EjectionView(0, balancer, 0, Panic: false);
    }

    /// <summary>Which cluster this is.</summary>
    public ClusterKey Key { get; }

    /// <summary>Healthy endpoints matching the subset's labels; the balancer picks from those not ejected.</summary>
    public IReadOnlyList<MeshEndpoint> Endpoints { get; }

    /// <summary>
    /// The balancer for the effective load-balancer policy over the endpoints eligible now (not ejected, or all of
    /// them in panic). Read it once per request and use the same instance to pick, issue cookies and acquire.
    /// </summary>
    public LoadBalancer Balancer
    {
        get
        {
            var view = Volatile.Read(ref _view);
            return Resilience is not { } resilience || view.Version == resilience.EjectionVersion ? view.Balancer : Refresh(resilience).Balancer;
        }
    }

    /// <summary>
    /// The effective traffic policy for this subset and port (port-level in subset &gt; subset &gt; port-level &gt;
    /// top-level, field by field), with <c>portLevelSettings</c> already folded in; null without a DestinationRule.
    /// </summary>
    public TrafficPolicy? Policy { get; }

    /// <summary>Why the cluster does not exist (unknown host or subset), or null when it does.</summary>
    public string? MissingReason { get; }

    /// <summary>The long-lived circuit-breaker and outlier state, or null (cluster missing, or a table outside a sidecar).</summary>
    public ClusterResilience? Resilience { get; private set; }

    /// <summary>Whether the cluster is in panic now (too few endpoints left after ejections: all are used).</summary>
    public bool InPanic => Resilience is { } resilience && (Volatile.Read(ref _view).Version == resilience.EjectionVersion ? _view : Refresh(resilience)).Panic;

    /// <summary>The sentence for a 503 <c>UH</c> when <see cref="Balancer"/> picked nothing.</summary>
    public string NoEndpointReason()
    {
        if (MissingReason is not null)
        {
            return MissingReason;
        }

        var name = Key.Subset is null ? $"{Key.Host}:{Key.Port}" : $"{Key.Host}:{Key.Port} subset {Key.Subset}";
        var view = Resilience is { } resilience ? Refresh(resilience) : _view;
        return view.Ejected > 0 ? $"no healthy endpoints for {name}: {view.Ejected} ejected by outlier detection" : $"no healthy endpoints for {name}";
    }

    /// <summary>Links the cluster to its long-lived state; once, before the cluster is published.</summary>
    internal void Attach(ClusterResilience resilience) => Resilience = resilience;

    private EjectionView Refresh(ClusterResilience resilience)
    {
        // Read the version first: an ejection racing with the rebuild leaves a stale version, so the next pick rebuilds again.
        var version = resilience.EjectionVersion;
        var current = Volatile.Read(ref _view);
        if (current.Version == version)
        {
            return current;
        }

        var eligible = new List<MeshEndpoint>(Endpoints.Count);
        foreach (var endpoint in Endpoints)
        {
            if (!resilience.IsEjected(endpoint))
            {
                eligible.Add(endpoint);
            }
        }

        var ejected = Endpoints.Count - eligible.Count;
        var panic = ejected > 0 && eligible.Count * 100 < resilience.MinHealthPercent * Endpoints.Count;
        var balancer = ejected == 0 || panic ? _all : LoadBalancerFactory.Create(Policy?.LoadBalancer, eligible, _fallback);
        var view = new EjectionView(version, balancer, ejected, panic);
        Volatile.Write(ref _view, view);
        return view;
    }

    private sealed record EjectionView(int Version, LoadBalancer Balancer, int Ejected, bool Panic);
}

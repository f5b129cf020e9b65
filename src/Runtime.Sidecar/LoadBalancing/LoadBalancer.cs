using Runtime.Abstractions.Discovery;
using Runtime.Sidecar.Routing;

namespace Runtime.Sidecar.LoadBalancing;

/// <summary>
/// Picks one endpoint of a cluster per request. One instance per cluster per route table; picking is thread-safe
/// and lock-free. Every balancer counts in-flight requests (<see cref="Acquire"/>) so any policy's callers can use
/// the same lease pattern; only least-request reads the counts.
/// </summary>
internal abstract class LoadBalancer
{
    private readonly Dictionary<MeshEndpoint, int> _indexes;
    private readonly int[] _inFlight;

    /// <summary>Creates a balancer over the cluster's eligible endpoints.</summary>
    protected LoadBalancer(IReadOnlyList<MeshEndpoint> endpoints)
    {
        Endpoints = endpoints;
        _inFlight = new int[Math.Max(endpoints.Count, 1)];
        _indexes = new Dictionary<MeshEndpoint, int>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < endpoints.Count; i++)
        {
            _indexes.TryAdd(endpoints[i], i);
        }
    }

    /// <summary>The endpoints this balancer picks from.</summary>
    public IReadOnlyList<MeshEndpoint> Endpoints { get; }

    /// <summary>The policy name as Istio spells it, e.g. <c>ROUND_ROBIN</c>.</summary>
    public abstract string Policy { get; }

    /// <summary>Picks the endpoint for a request; null when the cluster has no eligible endpoint (answer 503 UH).</summary>
    public abstract MeshEndpoint? Pick(in RequestView request);

    /// <summary>A session cookie the response must set (consistent hash by cookie with a TTL), or null.</summary>
    public virtual AffinityCookie? CookieToIssue(in RequestView request) => null;

    /// <summary>Counts a request as in flight on <paramref name="endpoint"/> until the lease is disposed.</summary>
    public EndpointLease Acquire(MeshEndpoint endpoint) =>
        _indexes.TryGetValue(endpoint, out var index) ? new EndpointLease(_inFlight, index) : default;

    /// <summary>The number of requests in flight on an endpoint of this balancer.</summary>
    public int InFlight(MeshEndpoint endpoint) =>
        _indexes.TryGetValue(endpoint, out var index) ? Volatile.Read(ref _inFlight[index]) : 0;

    /// <summary>The in-flight count of the endpoint at <paramref name="index"/>.</summary>
    protected int InFlightAt(int index) => Volatile.Read(ref _inFlight[index]);
}

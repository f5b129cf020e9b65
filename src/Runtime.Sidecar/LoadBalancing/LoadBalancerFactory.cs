using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Networking;

namespace Runtime.Sidecar.LoadBalancing;

/// <summary>Creates the balancer a DestinationRule's effective <c>loadBalancer</c> settings ask for.</summary>
internal static class LoadBalancerFactory
{
    /// <summary>
    /// Creates a balancer. Without settings (or <c>simple: UNSPECIFIED</c>) the default is <c>LEAST_REQUEST</c>,
    /// Istio's default since 1.14 (release note: "Updated Istio's default load balancing algorithm from ROUND_ROBIN
    /// to LEAST_REQUEST"). <c>LEAST_CONN</c> is the deprecated alias of <c>LEAST_REQUEST</c>.
    /// </summary>
    /// <param name="settings">The effective settings, or null.</param>
    /// <param name="endpoints">The eligible endpoints.</param>
    /// <param name="fallback">The policy when nothing is configured (PASSTHROUGH for resolution-NONE ServiceEntries).</param>
    public static LoadBalancer Create(LoadBalancerSettings? settings, IReadOnlyList<MeshEndpoint> endpoints, SimpleLoadBalancer fallback = SimpleLoadBalancer.LeastRequest)
    {
        if (settings?.ConsistentHash is { } hash)
        {
            var (source, name) = hash switch
            {
                { HttpHeaderName: { Length: > 0 } header } => (HashKeySource.Header, header),
                { HttpCookie.Name: { Length: > 0 } cookie } => (HashKeySource.Cookie, cookie),
                { UseSourceIp: true } => (HashKeySource.SourceIp, null),
                { HttpQueryParameterName: { Length: > 0 } parameter } => (HashKeySource.QueryParameter, parameter),
                _ => (HashKeySource.None, (string?)null),
            };
            var ringSize = hash.RingHash?.MinimumRingSize ?? hash.MinimumRingSize ?? hash.Maglev?.TableSize ?? ConsistentHashBalancer.DefaultRingSize;
            return new ConsistentHashBalancer(endpoints, source, name, hash.HttpCookie?.Path, hash.HttpCookie?.Ttl?.Value, ringSize);
        }

        var simple = settings?.Simple is null or SimpleLoadBalancer.Unspecified ? fallback : settings.Simple.Value;
        return simple switch
        {
            SimpleLoadBalancer.RoundRobin => new RoundRobinBalancer(endpoints),
            SimpleLoadBalancer.Random => new RandomBalancer(endpoints),
            SimpleLoadBalancer.Passthrough => new PassthroughBalancer(endpoints),
            _ => new LeastRequestBalancer(endpoints),
        };
    }
}

using Runtime.Abstractions.Networking;

namespace Runtime.Sidecar.Routing;

/// <summary>
/// Istio's traffic policy precedence for one cluster, field by field (load balancer, connection pool, outlier
/// detection, TLS): top-level, overridden by the top-level <c>portLevelSettings</c> for the port, overridden by the
/// subset's policy, overridden by the subset's <c>portLevelSettings</c> for the port.
/// </summary>
internal static class TrafficPolicyMerge
{
    /// <summary>The effective policy, with port-level settings folded in; null when nothing is configured.</summary>
    public static TrafficPolicy? Effective(TrafficPolicy? top, TrafficPolicy? subset, int port)
    {
        var result = ForPort(top, port);
        if (subset is not null)
        {
            result = Overlay(result ?? new TrafficPolicy(), subset);
            result = ForPort(result with { PortLevelSettings = subset.PortLevelSettings }, port);
        }

        return result;
    }

    private static TrafficPolicy? ForPort(TrafficPolicy? policy, int port)
    {
        if (policy is null)
        {
            return null;
        }

        var level = policy.PortLevelSettings?.FirstOrDefault(p => p.Port?.Number == port);
        var merged = policy with { PortLevelSettings = null };
        return level is null ? merged : merged with
        {
            LoadBalancer = level.LoadBalancer ?? merged.LoadBalancer,
            ConnectionPool = level.ConnectionPool ?? merged.ConnectionPool,
            OutlierDetection = level.OutlierDetection ?? merged.OutlierDetection,
            Tls = level.Tls ?? merged.Tls,
        };
    }

    private static TrafficPolicy Overlay(TrafficPolicy parent, TrafficPolicy child) => parent with
    {
        LoadBalancer = child.LoadBalancer ?? parent.LoadBalancer,
        ConnectionPool = child.ConnectionPool ?? parent.ConnectionPool,
        OutlierDetection = child.OutlierDetection ?? parent.OutlierDetection,
        Tls = child.Tls ?? parent.Tls,
        Tunnel = child.Tunnel ?? parent.Tunnel,
        ProxyProtocol = child.ProxyProtocol ?? parent.ProxyProtocol,
    };
}

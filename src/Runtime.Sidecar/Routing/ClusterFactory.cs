using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Networking;
using Runtime.Sidecar.LoadBalancing;

namespace Runtime.Sidecar.Routing;

/// <summary>Builds the cluster for a key from the catalog and the DestinationRules (pure; the table memoizes).</summary>
internal sealed class ClusterFactory(ServiceCatalog catalog, DestinationRuleIndex rules)
{
    /// <summary>Creates the cluster; unknown hosts and subsets give an empty cluster naming why.</summary>
    public Cluster Create(ClusterKey key)
    {
        if (catalog.Find(key.Host) is not { } service)
        {
            return Empty(key, $"host '{key.Host}' is not a known service or ServiceEntry host");
        }

        var rule = rules.Find(service.Host, service.Namespace);
        Subset? subset = null;
        if (key.Subset is not null && (rule is null || !rule.Subsets.TryGetValue(key.Subset, out subset)))
        {
            return Empty(key, $"subset '{key.Subset}' of host '{key.Host}' is not defined by any DestinationRule visible to this sidecar");
        }

        var labels = subset?.Labels;
        var endpoints = service.Endpoints
            .Where(e => e.Health == EndpointHealth.Healthy && (labels is null || labels.All(l => e.Labels.TryGetValue(l.Key, out var v) && v == l.Value)))
            .ToArray();
        var policy = TrafficPolicyMerge.Effective(rule?.TrafficPolicy, subset?.TrafficPolicy, key.Port);
        var fallback = service.Passthrough ? SimpleLoadBalancer.Passthrough : SimpleLoadBalancer.LeastRequest;
        return new Cluster(key, endpoints, LoadBalancerFactory.Create(policy?.LoadBalancer, endpoints, fallback), policy, fallback: fallback);
    }

    private static Cluster Empty(ClusterKey key, string reason) => new(key, [], LoadBalancerFactory.Create(null, []), null, reason);
}

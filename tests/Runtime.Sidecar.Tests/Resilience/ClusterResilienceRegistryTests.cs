using Microsoft.Extensions.Logging.Abstractions;
using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Resources;
using Runtime.Sidecar.Configuration;
using Runtime.Sidecar.Forwarding;
using Runtime.Sidecar.Resilience;
using Runtime.Sidecar.Routing;
using Runtime.Sidecar.Tests.Routing;

namespace Runtime.Sidecar.Tests.Resilience;

/// <summary>Resilience state outlives route tables: kept across pushes, re-applied, dropped with its cluster.</summary>
public sealed class ClusterResilienceRegistryTests
{
    private const string Host = "reviews.default.svc.cluster.local";
    private static readonly ClusterKey Key = new(Host, null, 80);

    [Fact]
    public void TryApply_NewSnapshot_KeepsEjectionsAndAppliesTheNewPolicy()
    {
        var (config, registry) = Create();
        Assert.Null(config.TryApply(Snapshot("v1", """{ "host": "reviews", "trafficPolicy": { "outlierDetection": { "consecutive5xxErrors": 1 } } }"""), "test"));
        var before = config.Current!.Routes.GetCluster(Key);
        before.Resilience!.Record(before.Endpoints[0], ForwardOutcome.Success, 500);

        Assert.Null(config.TryApply(Snapshot("v2", """{ "host": "reviews", "trafficPolicy": { "outlierDetection": { "consecutive5xxErrors": 1 }, "connectionPool": { "http": { "http2MaxRequests": 7 } } } }"""), "test"));
        var after = config.Current!.Routes.GetCluster(Key);

        Assert.NotSame(before, after);
        Assert.Same(before.Resilience, after.Resilience);
        Assert.True(after.Resilience!.IsEjected(after.Endpoints[0]));
        Assert.Equal(7, after.Resilience.Limits.MaxRequests);
        Assert.Equal(2, Enumerable.Range(0, 20).Select(_ => after.Balancer.Pick(new RequestView("GET", "http", "reviews", "/"))!.Address).Distinct().Count());
        Assert.Single(registry.Clusters);
    }

    [Fact]
    public void TryApply_ClusterLeftTheConfig_IsDropped()
    {
        var (config, registry) = Create();
        Assert.Null(config.TryApply(Snapshot("v1", """{ "host": "reviews", "subsets": [ { "name": "v1", "labels": { "version": "v1" } } ] }"""), "test"));
        config.Current!.Routes.GetCluster(Key with { Subset = "v1" });
        config.Current!.Routes.GetCluster(Key);
        Assert.Equal(2, registry.Clusters.Count);

        Assert.Null(config.TryApply(Snapshot("v2", """{ "host": "reviews" }"""), "test"));

        Assert.Equal([Key], registry.Keys);
    }

    [Fact]
    public void TryApply_RefusedSnapshot_LeavesTheRegistryUntouched()
    {
        var (config, registry) = Create();
        Assert.Null(config.TryApply(Snapshot("v1", """{ "host": "reviews", "trafficPolicy": { "connectionPool": { "http": { "http2MaxRequests": 3 } } } }"""), "test"));
        config.Current!.Routes.GetCluster(Key);

        var refused = config.TryApply(new ProxySnapshot { Version = "bad", Services = [], Resources = [TestMesh.Vs("broken", """{ "hosts": [""] }""")] }, "test");

        Assert.NotNull(refused);
        Assert.Equal(3, registry.Find(Key)!.Limits.MaxRequests);
    }

    [Fact]
    public void GetCluster_SubsetAndPortLevelPolicies_EachClusterGetsItsEffectiveLimitsAndDetection()
    {
        var (config, _) = Create();
        Assert.Null(config.TryApply(Snapshot("v1", """
            {
              "host": "reviews",
              "trafficPolicy": {
                "connectionPool": { "http": { "http2MaxRequests": 3 } },
                "portLevelSettings": [ { "port": { "number": 9080 }, "outlierDetection": { "consecutive5xxErrors": 4 } } ]
              },
              "subsets": [ { "name": "v1", "labels": { "version": "v1" }, "trafficPolicy": { "connectionPool": { "http": { "http2MaxRequests": 9 } } } } ]
            }
            """), "test"));
        var routes = config.Current!.Routes;

        var top = routes.GetCluster(Key).Resilience!;
        var subset = routes.GetCluster(Key with { Subset = "v1" }).Resilience!;
        var port = routes.GetCluster(Key with { Port = 9080 }).Resilience!;

        Assert.Equal((3, null), (top.Limits.MaxRequests, top.Outlier));
        Assert.Equal(9, subset.Limits.MaxRequests);
        Assert.Equal((3, 4), (port.Limits.MaxRequests, port.Outlier!.Consecutive5xx));
    }

    private static (ProxyConfig Config, ClusterResilienceRegistry Registry) Create()
    {
        var registry = new ClusterResilienceRegistry(new OutlierTestClock());
        return (new ProxyConfig(TestMesh.Self(), TimeProvider.System, NullLogger<ProxyConfig>.Instance, registry), registry);
    }

    private static ProxySnapshot Snapshot(string version, string destinationRule) => new()
    {
        Version = version,
        Services = [TestMesh.Service("reviews", "default", TestMesh.Endpoint("10.0.0.1", "v1"), TestMesh.Endpoint("10.0.0.2", "v1"), TestMesh.Endpoint("10.0.0.3", "v2"))],
        Resources = [TestMesh.Dr("reviews", destinationRule)],
    };
}

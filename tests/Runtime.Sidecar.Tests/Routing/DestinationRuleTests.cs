using Runtime.Abstractions.Discovery;
using Runtime.Sidecar.LoadBalancing;
using Runtime.Sidecar.Routing;
using static Runtime.Sidecar.Tests.Routing.TestMesh;

namespace Runtime.Sidecar.Tests.Routing;

public class DestinationRuleTests
{
    private const string Host = "reviews.default.svc.cluster.local";

    private static readonly MeshService Reviews = Service(
        "reviews",
        "default",
        Endpoint("10.0.0.1", "v1"),
        Endpoint("10.0.0.2", "v2"),
        Endpoint("10.0.0.3", "v2"),
        Endpoint("10.0.0.4", "v2", EndpointHealth.Unhealthy),
        Endpoint("10.0.0.5", "v2", EndpointHealth.Draining));

    private const string PrecedenceRule = """
        {"host":"reviews",
         "trafficPolicy":{"loadBalancer":{"simple":"RANDOM"},
                          "portLevelSettings":[{"port":{"number":9080},"loadBalancer":{"simple":"ROUND_ROBIN"}}]},
         "subsets":[
           {"name":"v1","labels":{"version":"v1"}},
           {"name":"v2","labels":{"version":"v2"},
            "trafficPolicy":{"loadBalancer":{"simple":"PASSTHROUGH"},
                             "portLevelSettings":[{"port":{"number":9081},"loadBalancer":{"simple":"LEAST_REQUEST"}}]}}]}
        """;

    [Fact]
    public void GetCluster_Subset_SelectsHealthyEndpointsWithTheLabels()
    {
        var table = TestMesh.Table([Reviews], Dr("reviews", PrecedenceRule));

        var v2 = table.GetCluster(new ClusterKey(Host, "v2", 9080));

        Assert.Equal(["10.0.0.2", "10.0.0.3"], v2.Endpoints.Select(e => e.Address));
        Assert.Equal(["10.0.0.1"], table.GetCluster(new ClusterKey(Host, "v1", 9080)).Endpoints.Select(e => e.Address));
        Assert.Equal(3, table.GetCluster(new ClusterKey(Host, null, 9080)).Endpoints.Count);
    }

    [Theory]
    [InlineData(null, 8080, "RANDOM")]            // top-level
    [InlineData(null, 9080, "ROUND_ROBIN")]       // port-level top beats top-level
    [InlineData("v1", 9080, "ROUND_ROBIN")]       // subset without policy inherits the port-level top
    [InlineData("v2", 9080, "PASSTHROUGH")]       // subset beats port-level top
    [InlineData("v2", 9081, "LEAST_REQUEST")]     // port-level in subset beats subset
    public void GetCluster_TrafficPolicy_FollowsIstioPrecedence(string? subset, int port, string policy)
    {
        var table = TestMesh.Table([Reviews], Dr("reviews", PrecedenceRule));

        Assert.Equal(policy, table.GetCluster(new ClusterKey(Host, subset, port)).Balancer.Policy);
    }

    [Fact]
    public void GetCluster_NoDestinationRule_DefaultsToLeastRequest()
    {
        var table = TestMesh.Table([Reviews]);

        Assert.IsType<LeastRequestBalancer>(table.GetCluster(new ClusterKey(Host, null, 80)).Balancer);
    }

    [Fact]
    public void GetCluster_UnknownSubset_IsEmptyWithReason()
    {
        var cluster = TestMesh.Table([Reviews], Dr("reviews", PrecedenceRule)).GetCluster(new ClusterKey(Host, "v9", 80));

        Assert.Empty(cluster.Endpoints);
        Assert.Contains("subset 'v9'", cluster.MissingReason, StringComparison.Ordinal);
        Assert.Null(cluster.Balancer.Pick(Get("http://reviews/")));
    }

    [Fact]
    public void GetCluster_NoHealthyEndpoint_ReturnsEmptyClusterForTheCallerToAnswerUH()
    {
        var table = TestMesh.Table([Service("down", "default", Endpoint("10.0.0.9", health: EndpointHealth.Unhealthy))]);
        var forward = Forwarded(table.Route(Get("http://down/")));

        var cluster = table.GetCluster(forward.Target.Cluster);

        Assert.Empty(cluster.Endpoints);
        Assert.Null(cluster.MissingReason);
        Assert.Null(cluster.Balancer.Pick(Get("http://down/")));
    }

    [Fact]
    public void GetCluster_RuleInSidecarNamespace_WinsOverServiceAndRootNamespace()
    {
        var ratings = Service("ratings", "prod", Endpoint("10.0.1.1"));
        var key = new ClusterKey("ratings.prod.svc.cluster.local", null, 80);
        var root = Dr("root", """{"host":"*.svc.cluster.local","trafficPolicy":{"loadBalancer":{"simple":"RANDOM"}}}""", ns: "istio-system");
        var service = Dr("svc", """{"host":"ratings","trafficPolicy":{"loadBalancer":{"simple":"PASSTHROUGH"}}}""", ns: "prod");
        var client = Dr("client", """{"host":"ratings.prod.svc.cluster.local","trafficPolicy":{"loadBalancer":{"simple":"ROUND_ROBIN"}}}""", ns: "default");

        Assert.Equal("ROUND_ROBIN", TestMesh.Table([ratings], root, service, client).GetCluster(key).Balancer.Policy);
        Assert.Equal("PASSTHROUGH", TestMesh.Table([ratings], root, service).GetCluster(key).Balancer.Policy);
        Assert.Equal("RANDOM", TestMesh.Table([ratings], root).GetCluster(key).Balancer.Policy);
    }

    [Fact]
    public void GetCluster_RuleInMeshSystem_AppliesAndWinsOverIstioSystem()
    {
        var ratings = Service("ratings", "prod", Endpoint("10.0.1.1"));
        var key = new ClusterKey("ratings.prod.svc.cluster.local", null, 80);
        var istio = Dr("istio-root", """{"host":"*.svc.cluster.local","trafficPolicy":{"loadBalancer":{"simple":"RANDOM"}}}""", ns: "istio-system");
        var mesh = Dr("mesh-root", """{"host":"*.svc.cluster.local","trafficPolicy":{"loadBalancer":{"simple":"ROUND_ROBIN"}}}""", ns: "mesh-system");

        Assert.Equal("ROUND_ROBIN", TestMesh.Table([ratings], mesh).GetCluster(key).Balancer.Policy);
        Assert.Equal("ROUND_ROBIN", TestMesh.Table([ratings], istio, mesh).GetCluster(key).Balancer.Policy);
        Assert.Equal("RANDOM", TestMesh.Table([ratings], istio).GetCluster(key).Balancer.Policy);
    }

    [Fact]
    public void GetCluster_RuleNotExportedToSidecarNamespace_IsIgnored()
    {
        var ratings = Service("ratings", "prod", Endpoint("10.0.1.1"));
        var hidden = Dr("svc", """{"host":"ratings","exportTo":["."],"trafficPolicy":{"loadBalancer":{"simple":"ROUND_ROBIN"}}}""", ns: "prod");

        Assert.Equal("LEAST_REQUEST", TestMesh.Table([ratings], hidden).GetCluster(new ClusterKey("ratings.prod.svc.cluster.local", null, 80)).Balancer.Policy);
    }

    [Fact]
    public void GetCluster_SameKeyTwice_ReturnsTheSameClusterSoBalancerStateIsShared()
    {
        var table = TestMesh.Table([Reviews]);

        Assert.Same(table.GetCluster(new ClusterKey(Host, null, 80)), table.GetCluster(new ClusterKey(Host, null, 80)));
    }
}

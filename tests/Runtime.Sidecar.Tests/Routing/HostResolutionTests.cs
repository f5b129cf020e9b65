using Runtime.Sidecar.Routing;
using static Runtime.Sidecar.Tests.Routing.TestMesh;

namespace Runtime.Sidecar.Tests.Routing;

public class HostResolutionTests
{
    private static readonly RouteTable Table = TestMesh.Table(
        [Service("reviews"), Service("ratings", "prod")],
        Se("external", """{"hosts":["api.example.com","*.wild.example.com"],"ports":[{"number":443,"name":"https","protocol":"TLS"}],"resolution":"DNS"}"""));

    [Theory]
    [InlineData("http://reviews/")]
    [InlineData("http://reviews:9080/")]
    [InlineData("http://reviews.default/")]
    [InlineData("http://reviews.default.svc/")]
    [InlineData("http://reviews.default.svc.cluster.local:9080/")]
    [InlineData("http://REVIEWS.Default.svc.cluster.local/")]
    public void Route_KubernetesNameVariants_ForwardToTheService(string url)
    {
        var forward = Forwarded(Table.Route(Get(url)));

        Assert.Equal("reviews.default.svc.cluster.local", forward.Target.Cluster.Host);
    }

    [Fact]
    public void Route_ShortNameOfServiceInAnotherNamespace_IsNoRoute()
    {
        // Istio only adds the bare short name for services in the caller's own namespace.
        var decision = Table.Route(Get("http://ratings/"));

        Assert.Contains("'ratings'", Assert.IsType<NoRoute>(decision).Reason, StringComparison.Ordinal);
        Assert.Equal("ratings.prod.svc.cluster.local", Forwarded(Table.Route(Get("http://ratings.prod:9080/"))).Target.Cluster.Host);
    }

    [Fact]
    public void Route_PortIsRecordedInClusterKey()
    {
        var forward = Forwarded(Table.Route(Get("http://reviews:9080/")));

        Assert.Equal(new ClusterKey("reviews.default.svc.cluster.local", null, 9080), forward.Target.Cluster);
        Assert.Equal(80, Forwarded(Table.Route(Get("http://reviews/"))).Target.Cluster.Port);
    }

    [Fact]
    public void Route_ServiceEntryExactAndWildcardHosts_Forward()
    {
        Assert.Equal("api.example.com", Forwarded(Table.Route(Get("https://api.example.com/"))).Target.Cluster.Host);
        Assert.Equal("*.wild.example.com", Forwarded(Table.Route(Get("https://a.b.wild.example.com/"))).Target.Cluster.Host);
        Assert.IsType<NoRoute>(Table.Route(Get("https://wild.example.com/")));
    }

    [Fact]
    public void Route_UnknownHost_NoRouteNamesTheHost()
    {
        var noRoute = Assert.IsType<NoRoute>(Table.Route(Get("http://ghost.default:8080/")));

        Assert.Contains("'ghost.default'", noRoute.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Route_VirtualServiceHostWithoutService_IsRoutable()
    {
        var table = TestMesh.Table(
            [Service("reviews")],
            Vs("alias", """{"hosts":["reviews-alias.example.com"],"http":[{"route":[{"destination":{"host":"reviews"}}]}]}"""));

        Assert.Equal("reviews.default.svc.cluster.local", Forwarded(table.Route(Get("http://reviews-alias.example.com/"))).Target.Cluster.Host);
    }

    [Fact]
    public void Route_VirtualServiceShortHosts_AreQualifiedByTheVirtualServiceNamespace()
    {
        // "ratings" in a VirtualService of namespace prod means ratings.prod, not ratings.<caller namespace>.
        var table = TestMesh.Table(
            [Service("ratings", "prod"), Service("ratings-v2", "prod")],
            Vs("ratings", """{"hosts":["ratings"],"http":[{"route":[{"destination":{"host":"ratings-v2"}}]}]}""", ns: "prod"));

        Assert.Equal("ratings-v2.prod.svc.cluster.local", Forwarded(table.Route(Get("http://ratings.prod/"))).Target.Cluster.Host);
    }

    [Fact]
    public void Route_WildcardVirtualService_AppliesToCoveredServicesAndUnknownHosts()
    {
        var table = TestMesh.Table(
            [Service("reviews"), Service("fallback")],
            Vs("all", """{"hosts":["*.default.svc.cluster.local"],"http":[{"route":[{"destination":{"host":"fallback"}}]}]}"""));

        Assert.Equal("fallback.default.svc.cluster.local", Forwarded(table.Route(Get("http://reviews/"))).Target.Cluster.Host);
        Assert.Equal("fallback.default.svc.cluster.local", Forwarded(table.Route(Get("http://other.default.svc.cluster.local/"))).Target.Cluster.Host);
    }
}

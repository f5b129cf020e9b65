using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Resources;
using Runtime.Silo.Discovery;
using static Runtime.Silo.Tests.Discovery.ProxyRegistryTests;
using static Runtime.Silo.Tests.Testing.Resources;

namespace Runtime.Silo.Tests.Discovery;

public sealed class SnapshotBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private static readonly RegisteredProxy InBookinfo = Proxy("productpage", "bookinfo", "10.0.0.1");
    private static readonly RegisteredProxy InShop = Proxy("cart", "shop", "10.0.0.2");

    [Theory]
    [InlineData("""{"hosts":["r"]}""", true, true)]
    [InlineData("""{"hosts":["r"],"exportTo":["*"]}""", true, true)]
    [InlineData("""{"hosts":["r"],"exportTo":["."]}""", true, false)]
    [InlineData("""{"hosts":["r"],"exportTo":["shop"]}""", false, true)]
    [InlineData("""{"hosts":["r"],"exportTo":[".","shop"]}""", true, true)]
    [InlineData("""{"hosts":["r"],"exportTo":["~"]}""", false, false)]
    public void Build_ExportTo_DecidesWhichNamespacesSeeTheResource(string spec, bool bookinfoSees, bool shopSees)
    {
        var config = View(Make("reviews", spec, ns: "bookinfo", resourceVersion: 3));
        var builder = new SnapshotBuilder(config, [InBookinfo, InShop]);

        Assert.Equal(bookinfoSees, builder.Build(InBookinfo, Now).Resources.Any(r => r.Metadata.Name == "reviews"));
        Assert.Equal(shopSees, builder.Build(InShop, Now).Resources.Any(r => r.Metadata.Name == "reviews"));
    }

    [Theory]
    [InlineData("""{"hosts":["r"],"gateways":["istio-system/ingress"]}""", false)]
    [InlineData("""{"hosts":["r"],"gateways":["istio-system/ingress","mesh"]}""", true)]
    [InlineData("""{"hosts":["r"],"gateways":[]}""", true)]
    public void Build_VirtualServiceGateways_OnlyMeshBoundOnesReachSidecars(string spec, bool delivered)
    {
        var config = View(Make("reviews", spec, ns: "bookinfo", resourceVersion: 3));

        var snapshot = new SnapshotBuilder(config, [InBookinfo]).Build(InBookinfo, Now);

        Assert.Equal(delivered, snapshot.Resources.Any(r => r.Kind == "VirtualService"));
    }

    [Fact]
    public void Build_DistributedKindsOnly_OtherKindsAreLeftOut()
    {
        var config = View(
            Make("reviews", """{"host":"reviews","exportTo":["."]}""", kind: "DestinationRule", ns: "bookinfo", resourceVersion: 1),
            Make("ingress", """{"selector":{"istio":"ingress"},"servers":[{"port":{"number":80,"name":"http","protocol":"HTTP"},"hosts":["*"]}]}""", kind: "Gateway", ns: "bookinfo", resourceVersion: 2));

        var snapshot = new SnapshotBuilder(config, [InBookinfo]).Build(InBookinfo, Now);

        Assert.Equal(["DestinationRule"], snapshot.Resources.Select(r => r.Kind));
        Assert.Equal(2, snapshot.Revision);
        Assert.Equal(InBookinfo.Id, snapshot.ProxyId);
    }

    [Theory]
    [InlineData("bookinfo", true, false)]
    [InlineData("mesh-system", true, true)]
    [InlineData("istio-system", true, true)]
    [InlineData("shop", false, true)]
    public void Build_AuthorizationPolicy_ReachesItsNamespaceAndFromTheRootEveryNamespace(string ns, bool bookinfoSees, bool shopSees)
    {
        var config = View(Make("deny", """{"action":"DENY","rules":[{}]}""", kind: "AuthorizationPolicy", ns: ns, resourceVersion: 3));
        var builder = new SnapshotBuilder(config, [InBookinfo, InShop]);

        Assert.Equal(bookinfoSees, builder.Build(InBookinfo, Now).Resources.Any(r => r.Kind == "AuthorizationPolicy"));
        Assert.Equal(shopSees, builder.Build(InShop, Now).Resources.Any(r => r.Kind == "AuthorizationPolicy"));
    }

    [Fact]
    public void Build_RegisteredProxies_OneServicePerServiceAndNamespaceWithEveryInstance()
    {
        var v1 = Proxy("reviews", "bookinfo", "10.0.1.1", instance: "reviews-v1", labels: new() { ["version"] = "v1" });
        var v2 = Proxy("reviews", "bookinfo", "10.0.1.2", instance: "reviews-v2", labels: new() { ["version"] = "v2" });
        var other = Proxy("reviews", "shop", "10.0.2.1");

        var snapshot = new SnapshotBuilder(MeshConfigView.Empty, [InBookinfo, v1, v2, other]).Build(InBookinfo, Now);

        var reviews = Assert.Single(snapshot.Services, s => s.Host == "reviews.bookinfo.svc.cluster.local");
        Assert.Equal(("reviews", "bookinfo"), (reviews.Name, reviews.Namespace));
        Assert.Empty(reviews.Ports);
        Assert.Equal(["reviews-v1", "reviews-v2"], reviews.Endpoints.Select(e => e.Instance));
        var endpoint = reviews.Endpoints[1];
        Assert.Equal(("10.0.1.2", 15006, "v2", EndpointHealth.Healthy, "reviews-v2.bookinfo", "default"),
            (endpoint.Address, endpoint.Port, endpoint.Labels["version"], endpoint.Health, endpoint.ProxyId, endpoint.ServiceAccount));
        Assert.Contains(snapshot.Services, s => s.Host == "reviews.shop.svc.cluster.local");
        Assert.Contains(snapshot.Services, s => s.Host == "productpage.bookinfo.svc.cluster.local");
    }

    [Fact]
    public void Build_PeerAuthenticationDisable_MarksOnlyTheEndpointsItSelects()
    {
        var v1 = Proxy("reviews", "bookinfo", "10.0.1.1", instance: "reviews-v1", labels: new() { ["version"] = "v1" });
        var v2 = Proxy("reviews", "bookinfo", "10.0.1.2", instance: "reviews-v2", labels: new() { ["version"] = "v2" });
        var shop = Proxy("reviews", "shop", "10.0.2.1", instance: "reviews-shop");
        var disableV1 = Make("v1-plain", """{"selector":{"matchLabels":{"version":"v1"}},"mtls":{"mode":"DISABLE"}}""", kind: "PeerAuthentication", ns: "bookinfo", resourceVersion: 2);
        var strictMesh = Make("default", """{"mtls":{"mode":"STRICT"}}""", kind: "PeerAuthentication", ns: "mesh-system", resourceVersion: 3);

        var before = new SnapshotBuilder(View(strictMesh), [InBookinfo, v1, v2, shop]).Build(InBookinfo, Now);
        var after = new SnapshotBuilder(View(strictMesh, disableV1), [InBookinfo, v1, v2, shop]).Build(InBookinfo, Now);

        Assert.DoesNotContain(before.Services.SelectMany(s => s.Endpoints), e => e.MtlsDisabled);
        Assert.Equal(["reviews-v1"], after.Services.SelectMany(s => s.Endpoints).Where(e => e.MtlsDisabled).Select(e => e.Instance));
        Assert.NotEqual(before.Version, after.Version);
    }

    [Fact]
    public void Build_ServiceEntry_AddsServicesWithPortsAndStaticEndpoints()
    {
        var config = View(
            Make("payments", """
                {"hosts":["payments.example.com","pay.example.com"],"location":"MESH_EXTERNAL","resolution":"STATIC",
                 "ports":[{"number":443,"name":"https","protocol":"TLS"},{"number":8080,"name":"http","protocol":"HTTP","targetPort":9090}],
                 "endpoints":[{"address":"192.0.2.10","labels":{"zone":"a"}},{"address":"192.0.2.11","ports":{"https":8443}}]}
                """, kind: "ServiceEntry", ns: "bookinfo", resourceVersion: 4),
            Make("search", """{"hosts":["search.example.com"],"resolution":"DNS","ports":[{"number":443,"name":"https","protocol":"TLS"}]}""",
                kind: "ServiceEntry", ns: "bookinfo", resourceVersion: 5));

        var snapshot = new SnapshotBuilder(config, [InBookinfo]).Build(InBookinfo, Now);

        var payments = Assert.Single(snapshot.Services, s => s.Host == "payments.example.com");
        Assert.Contains(snapshot.Services, s => s.Host == "pay.example.com");
        Assert.Equal([443, 8080], payments.Ports);
        Assert.Equal(
            ["192.0.2.10:443", "192.0.2.10:9090", "192.0.2.11:8443", "192.0.2.11:9090"],
            payments.Endpoints.Select(e => $"{e.Address}:{e.Port}"));
        Assert.Equal("a", payments.Endpoints[0].Labels["zone"]);
        Assert.Equal("", payments.Endpoints[0].ProxyId);
        var search = Assert.Single(snapshot.Services, s => s.Host == "search.example.com");
        Assert.Equal([443], search.Ports);
        Assert.Empty(search.Endpoints);
    }

    [Fact]
    public void Build_ServiceEntryExportedElsewhere_ItsServicesAreHiddenToo()
    {
        var config = View(Make("payments", """{"hosts":["payments.example.com"],"resolution":"NONE","exportTo":["."],"ports":[{"number":443,"name":"https","protocol":"TLS"}]}""",
            kind: "ServiceEntry", ns: "bookinfo", resourceVersion: 4));

        var builder = new SnapshotBuilder(config, [InBookinfo, InShop]);

        Assert.Contains(builder.Build(InBookinfo, Now).Services, s => s.Host == "payments.example.com");
        Assert.DoesNotContain(builder.Build(InShop, Now).Services, s => s.Host == "payments.example.com");
    }

    [Fact]
    public void Version_EqualContent_EqualVersionRegardlessOfOrderTimeProxyAndRevision()
    {
        var a = Make("a", """{"hosts":["a"],"http":[{"route":[{"destination":{"host":"a"}}]}]}""", resourceVersion: 3);
        var b = Make("b", """{"host":"b"}""", kind: "DestinationRule", resourceVersion: 4);
        var reordered = Make("a", """{"http":[{"route":[{"destination":{"host":"a"}}]}],"hosts":["a"]}""", resourceVersion: 3);
        var one = new SnapshotBuilder(View(a, b), [InBookinfo, InShop]);
        var two = new SnapshotBuilder(View(b, reordered) with { Revision = 99 }, [InShop, InBookinfo]);

        var first = one.Build(InBookinfo, Now);
        var second = two.Build(Proxy("details", "bookinfo", "10.0.0.9"), Now.AddHours(1));

        Assert.Matches("^[0-9a-f]{16}$", first.Version);
        Assert.Equal(first.Version, two.Build(InBookinfo, Now.AddHours(1)).Version);
        Assert.Equal(first.Version, second.Version);
    }

    [Fact]
    public void Version_ChangeTheProxySees_NewVersion_ChangeItCannotSee_SameVersion()
    {
        var baseline = View(Make("a", """{"hosts":["a"]}""", ns: "bookinfo", resourceVersion: 3));
        var before = new SnapshotBuilder(baseline, [InBookinfo]).Build(InBookinfo, Now).Version;

        var visibleChange = baseline.With(Make("a", """{"hosts":["a","b"]}""", ns: "bookinfo", resourceVersion: 5), 5);
        var hiddenChange = baseline.With(Make("z", """{"hosts":["z"],"exportTo":["."]}""", ns: "shop", resourceVersion: 6), 6);
        var otherKind = baseline.With(Make("ingress", """{"selector":{"istio":"ingress"}}""", kind: "Gateway", ns: "bookinfo", resourceVersion: 7), 7);
        var endpointChange = new SnapshotBuilder(baseline, [InBookinfo, InShop]);

        Assert.NotEqual(before, new SnapshotBuilder(visibleChange, [InBookinfo]).Build(InBookinfo, Now).Version);
        Assert.Equal(before, new SnapshotBuilder(hiddenChange, [InBookinfo]).Build(InBookinfo, Now).Version);
        Assert.Equal(before, new SnapshotBuilder(otherKind, [InBookinfo]).Build(InBookinfo, Now).Version);
        Assert.NotEqual(before, endpointChange.Build(InBookinfo, Now).Version);
    }

    private static MeshConfigView View(params MeshResource[] resources) =>
        resources.Aggregate(MeshConfigView.Empty, (view, r) => view.With(r, Math.Max(view.Revision, r.Metadata.ResourceVersion)));

    private static RegisteredProxy Proxy(string service, string ns, string address, string instance = "", Dictionary<string, string>? labels = null)
    {
        var identity = Identity(service, address, 15006, ns, instance, labels);
        return new RegisteredProxy(ProxyIdentityRules.ProxyId(identity), identity, "1.0", Now, Now, Connections: 0);
    }
}

using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Networking;
using Runtime.Sidecar.LoadBalancing;
using Runtime.Sidecar.Routing;
using Runtime.Sidecar.Tests.Routing;

namespace Runtime.Sidecar.Tests.LoadBalancing;

public class LoadBalancerTests
{
    private static readonly MeshEndpoint[] Endpoints = Enumerable.Range(1, 4).Select(i => TestMesh.Endpoint($"10.0.0.{i}")).ToArray();

    private static readonly RequestView Request = TestMesh.Get("http://reviews/");

    private static RequestView WithHeader(string name, string value, string sourceIp = "10.1.1.1") =>
        TestMesh.Get("http://reviews/", new Dictionary<string, string> { [name] = value }, sourceIp: sourceIp);

    private static ConsistentHashBalancer Hash(string json) =>
        Assert.IsType<ConsistentHashBalancer>(LoadBalancerFactory.Create(Bind(json), Endpoints));

    private static LoadBalancerSettings Bind(string json)
    {
        var resource = TestMesh.Dr("x", $$$"""{"host":"x","trafficPolicy":{"loadBalancer":{{{json}}}}}""");
        var spec = (DestinationRuleSpec)Abstractions.Resources.MeshKinds.DestinationRule.Bind(resource.Spec).Value!;
        return spec.TrafficPolicy!.LoadBalancer!;
    }

    [Fact]
    public void RoundRobin_Pick_CyclesThroughEndpointsInOrder()
    {
        var balancer = new RoundRobinBalancer(Endpoints);

        var picks = Enumerable.Range(0, 12).Select(_ => balancer.Pick(Request)!.Address).ToArray();

        Assert.Equal(Enumerable.Repeat(Endpoints.Select(e => e.Address), 3).SelectMany(a => a), picks);
    }

    [Fact]
    public void LeastRequest_Pick_NeverChoosesTheBusyEndpointOverIdleOnes()
    {
        var balancer = new LeastRequestBalancer(Endpoints);
        var leases = Enumerable.Range(0, 5).Select(_ => balancer.Acquire(Endpoints[0])).ToArray();

        var picks = Enumerable.Range(0, 2_000).Select(_ => balancer.Pick(Request)!).ToArray();

        Assert.DoesNotContain(Endpoints[0], picks);
        Assert.Equal(5, balancer.InFlight(Endpoints[0]));
        foreach (var lease in leases)
        {
            lease.Dispose();
        }

        Assert.Equal(0, balancer.InFlight(Endpoints[0]));
        Assert.Contains(Endpoints[0], Enumerable.Range(0, 2_000).Select(_ => balancer.Pick(Request)!));
    }

    [Fact]
    public void Random_Pick_IsRoughlyUniform()
    {
        var balancer = new RandomBalancer(Endpoints);

        var counts = Enumerable.Range(0, 40_000).GroupBy(_ => balancer.Pick(Request)!.Address).ToDictionary(g => g.Key, g => g.Count());

        // Expected 10,000 each, standard deviation ~87: ±800 is over 9 sigma.
        Assert.Equal(4, counts.Count);
        Assert.All(counts.Values, c => Assert.InRange(c, 9_200, 10_800));
    }

    [Fact]
    public void Passthrough_Pick_PrefersTheAddressedHostThenFirstEndpoint()
    {
        var balancer = new PassthroughBalancer(Endpoints);

        Assert.Equal("10.0.0.3", balancer.Pick(TestMesh.Get("http://10.0.0.3:8080/"))!.Address);
        Assert.Equal("10.0.0.1", balancer.Pick(Request)!.Address);
        Assert.Equal("api.example.com", new PassthroughBalancer([]).Pick(TestMesh.Get("https://api.example.com/"))!.Address);
    }

    [Fact]
    public void Factory_DefaultAndLeastConn_AreLeastRequest()
    {
        Assert.IsType<LeastRequestBalancer>(LoadBalancerFactory.Create(null, Endpoints));
        Assert.IsType<LeastRequestBalancer>(LoadBalancerFactory.Create(Bind("""{"simple":"LEAST_CONN"}"""), Endpoints));
        Assert.IsType<RoundRobinBalancer>(LoadBalancerFactory.Create(Bind("""{"simple":"ROUND_ROBIN"}"""), Endpoints));
    }

    [Fact]
    public void ConsistentHash_SameHeader_StaysOnOneEndpointAndKeysSpread()
    {
        var balancer = Hash("""{"consistentHash":{"httpHeaderName":"x-user"}}""");

        foreach (var user in new[] { "jason", "mike", "ana" })
        {
            var first = balancer.Pick(WithHeader("x-user", user));
            Assert.All(Enumerable.Range(0, 50), _ => Assert.Same(first, balancer.Pick(WithHeader("x-user", user))));
        }

        var spread = Enumerable.Range(0, 400).Select(i => balancer.Pick(WithHeader("x-user", $"user-{i}"))!.Address).Distinct().Count();
        Assert.Equal(4, spread);
    }

    [Fact]
    public void ConsistentHash_QueryParameterAndSourceIp_AreSticky()
    {
        var byQuery = Hash("""{"consistentHash":{"httpQueryParameterName":"session"}}""");
        var bySource = Hash("""{"consistentHash":{"useSourceIp":true}}""");

        var q = byQuery.Pick(TestMesh.Get("http://reviews/?a=1&session=abc"));
        Assert.All(Enumerable.Range(0, 50), _ => Assert.Same(q, byQuery.Pick(TestMesh.Get("http://reviews/x?session=abc"))));
        Assert.Equal(4, Enumerable.Range(0, 400).Select(i => byQuery.Pick(TestMesh.Get($"http://reviews/?session=s{i}"))!.Address).Distinct().Count());

        var s = bySource.Pick(TestMesh.Get("http://reviews/", sourceIp: "10.9.9.9"));
        Assert.All(Enumerable.Range(0, 50), _ => Assert.Same(s, bySource.Pick(TestMesh.Get("http://reviews/other", sourceIp: "10.9.9.9"))));
        Assert.Equal(4, Enumerable.Range(0, 400).Select(i => bySource.Pick(TestMesh.Get("http://reviews/", sourceIp: $"10.2.{i / 250}.{i % 250}"))!.Address).Distinct().Count());
    }

    [Fact]
    public void ConsistentHash_Cookie_IssuesCookieWithTtlAndPathThenSticks()
    {
        var balancer = Hash("""{"consistentHash":{"httpCookie":{"name":"affinity","path":"/app","ttl":"3600s"}}}""");
        var first = TestMesh.Get("http://reviews/", sourceIp: "10.3.3.3");

        var cookie = balancer.CookieToIssue(first);
        var picked = balancer.Pick(first);

        Assert.NotNull(cookie);
        Assert.Equal("affinity", cookie.Name);
        Assert.Equal("/app", cookie.Path);
        Assert.Equal(TimeSpan.FromHours(1), cookie.Ttl);
        var returning = WithHeader("cookie", $"other=1; affinity={cookie.Value}", sourceIp: "10.4.4.4");
        Assert.Same(picked, balancer.Pick(returning));
        Assert.Null(balancer.CookieToIssue(returning));
        Assert.Equal(4, Enumerable.Range(0, 400).Select(i => balancer.Pick(WithHeader("cookie", $"affinity=c{i}"))!.Address).Distinct().Count());
    }

    [Fact]
    public void ConsistentHash_CookieWithoutTtl_IssuesNothing()
    {
        Assert.Null(Hash("""{"consistentHash":{"httpCookie":{"name":"affinity"}}}""").CookieToIssue(Request));
    }

    [Fact]
    public void ConsistentHash_RingSizeSettings_SizeTheSameRing()
    {
        Assert.Equal(1024, Hash("""{"consistentHash":{"httpHeaderName":"x"}}""").RingSize);
        Assert.Equal(4096, Hash("""{"consistentHash":{"httpHeaderName":"x","ringHash":{"minimumRingSize":4096}}}""").RingSize);
        Assert.Equal(65540, Hash("""{"consistentHash":{"httpHeaderName":"x","maglev":{"tableSize":65537}}}""").RingSize);
    }

    [Fact]
    public void ConsistentHash_EndpointRemoved_MostOtherKeysStay()
    {
        var all = new ConsistentHashBalancer(Endpoints, HashKeySource.Header, "x-user", null, null, 1024);
        var fewer = new ConsistentHashBalancer(Endpoints[..3], HashKeySource.Header, "x-user", null, null, 1024);

        var moved = Enumerable.Range(0, 1_000)
            .Select(i => WithHeader("x-user", $"u{i}"))
            .Count(r => all.Pick(r)!.Address != "10.0.0.4" && all.Pick(r)!.Address != fewer.Pick(r)!.Address);

        // The ring is re-cut for three endpoints (more virtual nodes each), so a few keys move between survivors,
        // far from the ~75% a modulo hash would move.
        Assert.InRange(moved, 0, 200);
    }
}

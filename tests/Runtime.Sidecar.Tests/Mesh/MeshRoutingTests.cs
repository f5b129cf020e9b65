using System.Net;
using Runtime.Sidecar.Tests.Testing;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Sidecar.Tests.Mesh;

/// <summary>
/// Requests from an app through its sidecar, across the mesh to another sidecar and its app — all real
/// processes' worth of servers on loopback, configured only through the control plane.
/// </summary>
public sealed class MeshRoutingTests
{
    private const string Subsets = """
        apiVersion: networking.istio.io/v1beta1
        kind: DestinationRule
        metadata:
          name: reviews
        spec:
          host: reviews
          subsets:
          - name: v1
            labels:
              version: v1
          - name: v2
            labels:
              version: v2
        """;

    // The seeds' header routing plus canary split.
    private const string Canary = """
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata:
          name: reviews
        spec:
          hosts:
          - reviews
          http:
          - match:
            - headers:
                end-user:
                  exact: jason
            route:
            - destination:
                host: reviews
                subset: v2
          - route:
            - destination:
                host: reviews
                subset: v1
              weight: 80
            - destination:
                host: reviews
                subset: v2
              weight: 20
        """;

    [Fact]
    public async Task Request_ThroughTwoSidecars_ReachesTheServiceAllThreeWaysOfAddressing()
    {
        await using var mesh = await MeshHarness.StartAsync();
        var reviews = await mesh.StartAppAsync("reviews-v1");
        await mesh.StartSidecarAsync("reviews", reviews, labels: ["app=reviews", "version=v1"]);
        var productpage = await mesh.StartSidecarAsync("productpage", null);
        await MeshHarness.WaitForEndpointsAsync(productpage, "reviews.default.svc.cluster.local", 1);
        using var client = new HttpClient { Timeout = TestTimeouts.Default };

        using var byHost = new HttpRequestMessage(HttpMethod.Get, new Uri(productpage.OutboundAddress, "/ratings/7?x=1"));
        byHost.Headers.Host = "reviews";
        var hostResponse = await client.SendAsync(byHost);
        var invoked = await client.GetStringAsync(new Uri(productpage.OutboundAddress, "/v1.0/invoke/reviews.default/method/ratings/7"));
        using var viaProxy = new HttpClient(new HttpClientHandler { Proxy = new WebProxy(productpage.OutboundAddress), UseProxy = true }) { Timeout = TestTimeouts.Default };
        var proxied = await viaProxy.GetStringAsync(new Uri("http://reviews.default.svc.cluster.local/ratings/7"));

        Assert.Equal("reviews-v1 /ratings/7?x=1", await hostResponse.Content.ReadAsStringAsync());
        Assert.Equal("reviews", hostResponse.Headers.GetValues("x-seen-host").Single());
        Assert.False(string.IsNullOrEmpty(hostResponse.Headers.GetValues("x-seen-x-request-id").Single()));
        Assert.Equal("reviews-v1 /ratings/7", invoked);
        Assert.Equal("reviews-v1 /ratings/7", proxied);
    }

    [Fact]
    public async Task Request_SeedCanaryAndHeaderRouting_SplitsEightyTwentyAndPinsJason()
    {
        await using var mesh = await MeshHarness.StartAsync();
        var v1 = await mesh.StartAppAsync("v1");
        var v2 = await mesh.StartAppAsync("v2");
        await mesh.StartSidecarAsync("reviews", v1, labels: ["app=reviews", "version=v1"]);
        await mesh.StartSidecarAsync("reviews", v2, labels: ["app=reviews", "version=v2"]);
        var productpage = await mesh.StartSidecarAsync("productpage", null);
        await MeshHarness.WaitForEndpointsAsync(productpage, "reviews.default.svc.cluster.local", 2);
        await mesh.ApplyAsync(Subsets + "\n---\n" + Canary);
        await MeshHarness.WaitForConfigAsync(productpage, "\"weight\": 80");
        using var client = new HttpClient { Timeout = TestTimeouts.Default };

        var counts = new Dictionary<string, int> { ["v1"] = 0, ["v2"] = 0 };
        for (var i = 0; i < 2000; i++)
        {
            counts[(await GetAsync(client, productpage.OutboundAddress, "reviews", "/")).Split(' ')[0]]++;
        }

        var jason = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            jason.Add((await GetAsync(client, productpage.OutboundAddress, "reviews", "/", ("end-user", "jason"))).Split(' ')[0]);
        }

        // 80% of 2,000 with ±3% tolerance: 1,540..1,660 (the binomial standard deviation is ~18, so ±60 is >3σ).
        Assert.InRange(counts["v1"], 1540, 1660);
        Assert.All(jason, served => Assert.Equal("v2", served));
    }

    [Fact]
    public async Task Request_MalformedInvokeAndForwardedProto_400WithReasonAndIngressSchemeKept()
    {
        await using var mesh = await MeshHarness.StartAsync();
        var reviews = await mesh.StartAppAsync("reviews-v1");
        await mesh.StartSidecarAsync("reviews", reviews);
        var productpage = await mesh.StartSidecarAsync("productpage", null);
        await MeshHarness.WaitForEndpointsAsync(productpage, "reviews.default.svc.cluster.local", 1);
        using var client = new HttpClient { Timeout = TestTimeouts.Default };

        using var malformed = await client.GetAsync(new Uri(productpage.OutboundAddress, "/v1.0/invoke"));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(productpage.OutboundAddress, "/"));
        request.Headers.Host = "reviews";
        request.Headers.Add("x-forwarded-proto", "https");
        using var forwarded = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("DPE", malformed.Headers.GetValues("x-mesh-reason").Single());
        Assert.Equal("https", forwarded.Headers.GetValues("x-seen-x-forwarded-proto").Single());
    }

    [Fact]
    public async Task Request_UnknownHost_Is404WithNoRouteReason()
    {
        await using var mesh = await MeshHarness.StartAsync();
        var productpage = await mesh.StartSidecarAsync("productpage", null);
        await productpage.Ready.WaitAsync(TestTimeouts.Default);
        using var client = new HttpClient { Timeout = TestTimeouts.Default };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(productpage.OutboundAddress, "/"));
        request.Headers.Host = "nowhere";

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("NR", response.Headers.GetValues("x-mesh-reason").Single());
        Assert.Contains("nowhere", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProxyStatus_AfterApply_EverySidecarSynced()
    {
        await using var mesh = await MeshHarness.StartAsync();
        var app = await mesh.StartAppAsync("reviews");
        var reviews = await mesh.StartSidecarAsync("reviews", app, labels: ["version=v1"]);
        var productpage = await mesh.StartSidecarAsync("productpage", null);
        await mesh.ApplyAsync(Subsets);
        await MeshHarness.WaitForConfigAsync(productpage, "\"DestinationRule\"");
        await MeshHarness.WaitForConfigAsync(reviews, "\"DestinationRule\"");

        await Eventually.Async("every proxy SYNCED", async () =>
        {
            var proxies = (await mesh.ProxiesAsync()).Proxies;
            return proxies.Count == 2 && proxies.All(p => p.State == V1.SyncState.Synced);
        });
    }

    [Fact]
    public async Task Sidecar_RestartedWhileControlPlaneDown_ServesItsPersistedConfig()
    {
        await using var mesh = await MeshHarness.StartAsync();
        var app = await mesh.StartAppAsync("reviews-v1");
        await mesh.StartSidecarAsync("reviews", app, labels: ["version=v1"]);
        var dataDir = Path.Combine(Path.GetTempPath(), "mesh-persist-" + Guid.NewGuid().ToString("N"));
        var first = await mesh.StartSidecarAsync("productpage", null, dataDir);
        await MeshHarness.WaitForEndpointsAsync(first, "reviews.default.svc.cluster.local", 1);
        await first.DisposeAsync();
        await mesh.StopSiloAsync();

        await using var restarted = await mesh.StartSidecarAsync("productpage", null, dataDir);
        await restarted.Ready.WaitAsync(TestTimeouts.Default);
        using var client = new HttpClient { Timeout = TestTimeouts.Default };

        Assert.Equal("reviews-v1 /", await GetAsync(client, restarted.OutboundAddress, "reviews", "/"));
        Directory.Delete(dataDir, recursive: true);
    }

    private static async Task<string> GetAsync(HttpClient client, Uri outbound, string host, string path, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(outbound, path));
        request.Headers.Host = host;
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {string.Join(",", response.Headers.Select(h => h.Key + "=" + string.Join(";", h.Value)))}: {body}");
        return body;
    }
}

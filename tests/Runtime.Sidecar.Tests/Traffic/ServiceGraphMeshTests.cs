using System.Net.Http.Json;
using System.Text.Json;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Security;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Traffic;

/// <summary>
/// The dashboard's service graph end to end: real sidecars report their traffic with their heartbeats to a real
/// control plane, whose <c>/api/dashboard/graph</c> shows the nodes, the edges with exact request counts, the canary
/// split and the mTLS lock.
/// </summary>
public sealed class ServiceGraphMeshTests
{
    private const int Requests = 200;

    internal const string Split = """
        apiVersion: networking.istio.io/v1beta1
        kind: DestinationRule
        metadata:
          name: reviews-subsets
        spec:
          host: reviews
          subsets:
          - name: v1
            labels:
              version: v1
          - name: v2
            labels:
              version: v2
        ---
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata:
          name: reviews-split
        spec:
          hosts:
          - reviews
          http:
          - route:
            - destination:
                host: reviews
                subset: v1
              weight: 90
            - destination:
                host: reviews
                subset: v2
              weight: 10
        """;

    [Fact]
    public async Task Graph_CanarySplitOverMtls_ExactCountsSplitAndLock()
    {
        // Heartbeats every second, so reports reach the control plane quickly.
        await using var mesh = await MtlsMesh.StartAsync(endpointTtl: TimeSpan.FromSeconds(4));
        var v1 = await mesh.StartAppAsync("reviews-v1");
        var v2 = await mesh.StartAppAsync("reviews-v2");
        await mesh.StartSidecarAsync("reviews", v1, "reviews", mesh.Ca.SourceFor(TlsTestCa.SpiffeId("reviews")), "app=reviews", "version=v1");
        await mesh.StartSidecarAsync("reviews", v2, "reviews", mesh.Ca.SourceFor(TlsTestCa.SpiffeId("reviews")), "app=reviews", "version=v2");
        var productpage = await mesh.StartSidecarAsync("productpage", null, "productpage", mesh.Ca.SourceFor(TlsTestCa.SpiffeId("productpage")), "app=productpage", "version=v1");
        await mesh.Harness.ApplyAsync(Split);
        await MeshHarness.WaitForEndpointsAsync(productpage, "reviews.default.svc.cluster.local", 2);
        await MeshHarness.WaitForConfigAsync(productpage, "reviews-split");
        await MeshHarness.WaitForConfigAsync(productpage, "reviews-subsets");

        var served = new Dictionary<string, int>(StringComparer.Ordinal) { ["reviews-v1"] = 0, ["reviews-v2"] = 0 };
        for (var i = 0; i < Requests; i++)
        {
            using var response = await MtlsMesh.CallAsync(productpage, "reviews", "/");
            response.EnsureSuccessStatusCode();
            served[(await response.Content.ReadAsStringAsync()).Split(' ')[0]]++;
        }

        var graphUri = new Uri(mesh.Harness.Silo!.HttpAddress, "/api/dashboard/graph?window=600");
        using var http = new HttpClient { Timeout = TestTimeouts.Default };
        JsonElement graph = default;
        await Eventually.Async($"{Requests} requests from productpage in the graph", async () =>
        {
            graph = await http.GetFromJsonAsync<JsonElement>(graphUri);
            return Edges(graph).Where(e => e.GetProperty("source").GetString() == "default/productpage/v1").Sum(e => e.GetProperty("requests").GetInt64()) == Requests;
        });

        Assert.Equal(600, graph.GetProperty("windowSeconds").GetInt32());
        Assert.Equal("sidecars", graph.GetProperty("source").GetString());
        var nodes = graph.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("id").GetString()!);
        Assert.Equal(new[] { "default/productpage/v1", "default/reviews/v1", "default/reviews/v2" }, nodes.Keys.Order(StringComparer.Ordinal));
        Assert.All(nodes.Values, n => Assert.Equal(("workload", 1), (n.GetProperty("kind").GetString(), n.GetProperty("proxies").GetInt32())));
        Assert.Equal(("reviews", "default", "v2"), (nodes["default/reviews/v2"].GetProperty("service").GetString(), nodes["default/reviews/v2"].GetProperty("namespace").GetString(), nodes["default/reviews/v2"].GetProperty("version").GetString()));

        // Only the client sidecar's view: the servers' reports name the same caller (by its principal) and are not counted again.
        var edges = Edges(graph).ToDictionary(e => e.GetProperty("id").GetString()!);
        Assert.Equal(new[] { "default/productpage/v1->default/reviews/v1", "default/productpage/v1->default/reviews/v2" }, edges.Keys.Order(StringComparer.Ordinal));
        foreach (var version in new[] { "v1", "v2" })
        {
            var edge = edges[$"default/productpage/v1->default/reviews/{version}"];
            var count = served["reviews-" + version];
            Assert.Equal(count, edge.GetProperty("requests").GetInt64());
            Assert.Equal(count, edge.GetProperty("responseCodes").GetProperty("200").GetInt64());
            Assert.Equal(0, edge.GetProperty("errors").GetInt64());
            Assert.Equal(0, edge.GetProperty("errorRate").GetDouble());
            Assert.True(edge.GetProperty("mtls").GetBoolean());
            Assert.Equal("reviews.default.svc.cluster.local", edge.GetProperty("destinationService").GetString());
            Assert.Equal("http", edge.GetProperty("protocol").GetString());
            Assert.Equal(Math.Round((double)count / Requests, 4), edge.GetProperty("split").GetDouble());
            Assert.True(edge.GetProperty("rps").GetDouble() > 0);
            Assert.True(edge.GetProperty("p50Ms").GetDouble() <= edge.GetProperty("p99Ms").GetDouble());
            Assert.Equal(edge.GetProperty("rps").GetDouble(), nodes[$"default/reviews/{version}"].GetProperty("rps").GetDouble());
        }

        // The observed split itself follows the VirtualService's 90/10 (a 200-request sample: within 8 points).
        Assert.InRange(edges["default/productpage/v1->default/reviews/v1"].GetProperty("split").GetDouble(), 0.82, 0.98);
    }

    [Fact]
    public async Task Graph_BadWindow_400NamingTheParameterAndRange()
    {
        await using var mesh = await MeshHarness.StartAsync();
        using var http = new HttpClient { Timeout = TestTimeouts.Default };

        using var response = await http.GetAsync(new Uri(mesh.Silo!.HttpAddress, "/api/dashboard/graph?window=4"));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("query parameter 'window' must be a whole number of seconds from 5 to 600 (default 30); got '4'", body.GetProperty("error").GetString());
    }

    private static JsonElement.ArrayEnumerator Edges(JsonElement graph) => graph.GetProperty("edges").EnumerateArray();
}

using System.Net.Http.Json;
using System.Text.Json;
using Runtime.Silo.Hosting;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Traffic;

/// <summary>
/// The service graph read from a real Prometheus (scraping a real mesh every second with a 90/10 canary): a silo
/// configured with <c>--prometheus-url</c> answers the same nodes, kinds and edges as the sidecar-data graph, with
/// <c>"source": "prometheus"</c>, rates consistent with the sidecars' and the split close to what the apps served.
/// </summary>
public sealed class PrometheusGraphMeshTests
{
    private const string ReviewsFqdn = "reviews.default.svc.cluster.local";
    private const string ProductPage = "default/productpage/v1";
    private const int MeasuredRequests = 250;

    [Fact]
    public async Task Graph_FromPrometheus_SameNodesAndEdgesAsSidecarData_RatesAndSplitConsistent()
    {
        // Heartbeats every second, so the sidecar-data graph follows the traffic as quickly as Prometheus' scrapes.
        await using var mesh = await MeshHarness.StartAsync(endpointTtl: TimeSpan.FromSeconds(4));
        var reviewsV1 = await mesh.StartSidecarAsync("reviews", await mesh.StartAppAsync("v1"), labels: ["app=reviews", "version=v1"]);
        var reviewsV2 = await mesh.StartSidecarAsync("reviews", await mesh.StartAppAsync("v2"), labels: ["app=reviews", "version=v2"]);
        var productpage = await mesh.StartSidecarAsync("productpage", null, labels: ["app=productpage", "version=v1"]);
        await mesh.ApplyAsync(ServiceGraphMeshTests.Split);
        await MeshHarness.WaitForEndpointsAsync(productpage, ReviewsFqdn, 2);
        await MeshHarness.WaitForConfigAsync(productpage, "reviews-split");
        await MeshHarness.WaitForConfigAsync(productpage, "reviews-subsets");

        await using var prometheus = await PrometheusServer.StartAsync(
            [new("sidecars", "/stats/prometheus", [productpage.AdminAddress, reviewsV1.AdminAddress, reviewsV2.AdminAddress])],
            TimeSpan.FromSeconds(1));
        await prometheus.WaitForTargetsUpAsync(3);
        using var directory = new TempDirectory("mesh-e2e-promsilo-");
        await using var promSilo = await SiloHost.StartAsync(
            new SiloOptions { GrpcPort = 0, HttpPort = 0, DataDir = directory.Path, PrometheusUrl = prometheus.Address.AbsoluteUri, LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning },
            CancellationToken.None).WaitAsync(TestTimeouts.Default);
        using var http = new HttpClient { Timeout = TestTimeouts.Default };

        // Warm-up: both versions' series exist and Prometheus holds their values before the measured traffic, so
        // increase() counts all of it (a series' first sample is never an increase).
        var warmUp = new Traffic(productpage.OutboundAddress);
        while (warmUp.Served("v1") == 0 || warmUp.Served("v2") == 0)
        {
            await warmUp.SendAsync(http);
        }

        await WaitForScrapedAsync(prometheus, warmUp, warmUp);

        // Steady traffic (at least MeasuredRequests, spread over many scrapes, so increase()'s extrapolation stays
        // small against it) until both graphs, over the last 10 s, see productpage's rate alike.
        var measured = new Traffic(productpage.OutboundAddress);
        using var stop = new CancellationTokenSource();
        var load = measured.RunAsync(http, stop.Token);
        await prometheus.WaitUntilAsync($"{MeasuredRequests} requests, and the Prometheus and sidecar-data graphs to agree on productpage's rate within a third", async _ =>
        {
            if (measured.Total < MeasuredRequests)
            {
                return false;
            }

            var (sidecarRps, prometheusRps) = (OutboundRps(await GraphAsync(http, mesh.Silo!.HttpAddress, 10)), OutboundRps(await GraphAsync(http, promSilo.HttpAddress, 10)));
            return sidecarRps > 0 && prometheusRps > sidecarRps * 2 / 3 && prometheusRps < sidecarRps * 3 / 2;
        });
        await stop.CancelAsync();
        await load;
        await WaitForScrapedAsync(prometheus, warmUp, measured);

        var fromPrometheus = await GraphAsync(http, promSilo.HttpAddress, 600);
        var fromSidecars = await GraphAsync(http, mesh.Silo!.HttpAddress, 600);

        Assert.Equal("prometheus", fromPrometheus.GetProperty("source").GetString());
        Assert.Equal(JsonValueKind.Null, fromPrometheus.GetProperty("sourceError").ValueKind);
        Assert.Equal("sidecars", fromSidecars.GetProperty("source").GetString());
        Assert.Equal(NodeKinds(fromSidecars), NodeKinds(fromPrometheus));
        Assert.Equal(["default/productpage/v1->default/reviews/v1", "default/productpage/v1->default/reviews/v2"], EdgeIds(fromPrometheus));
        Assert.Equal(EdgeIds(fromSidecars), EdgeIds(fromPrometheus));
        var edges = fromPrometheus.GetProperty("edges").EnumerateArray().ToDictionary(e => e.GetProperty("target").GetString()!);
        var total = measured.Served("v1") + measured.Served("v2");
        foreach (var version in new[] { "v1", "v2" })
        {
            var edge = edges["default/reviews/" + version];
            var served = measured.Served(version);
            Assert.Equal((ReviewsFqdn, "http", false), (edge.GetProperty("destinationService").GetString(), edge.GetProperty("protocol").GetString(), edge.GetProperty("mtls").GetBoolean()));
            // increase() skips a series' first sample (warm-up requests scraped with it) and extrapolates to the
            // window's edges (at most half a scrape interval on each side).
            var requests = edge.GetProperty("requests").GetInt64();
            var most = served + warmUp.Served(version);
            Assert.True(requests >= served * 0.9 && requests <= most * 1.15 + 2, $"{version}: Prometheus counted {requests}, the app served {served} (and {warmUp.Served(version)} in the warm-up)");
            Assert.Equal(0, edge.GetProperty("errorRate").GetDouble());
            Assert.True(edge.GetProperty("p50Ms").GetDouble() <= edge.GetProperty("p99Ms").GetDouble());
            var split = edge.GetProperty("split").GetDouble();
            Assert.True(Math.Abs(split - ((double)(served + warmUp.Served(version)) / (total + warmUp.Total))) <= 0.04, $"{version}: split {split}, served {served} of {total}");
        }

        Assert.InRange(edges["default/reviews/v1"].GetProperty("split").GetDouble(), 0.8, 0.98);
    }

    private static async Task<JsonElement> GraphAsync(HttpClient http, Uri silo, int window) =>
        await http.GetFromJsonAsync<JsonElement>(new Uri(silo, $"/api/dashboard/graph?window={window}"));

    private static double OutboundRps(JsonElement graph) =>
        graph.GetProperty("edges").EnumerateArray().Where(e => e.GetProperty("source").GetString() == ProductPage).Sum(e => e.GetProperty("rps").GetDouble());

    private static string[] NodeKinds(JsonElement graph) =>
        [.. graph.GetProperty("nodes").EnumerateArray().Select(n => $"{n.GetProperty("id").GetString()} {n.GetProperty("kind").GetString()}")];

    private static string[] EdgeIds(JsonElement graph) => [.. graph.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("id").GetString()!)];

    /// <summary>Waits until Prometheus' client-side totals equal everything served so far.</summary>
    private static Task WaitForScrapedAsync(PrometheusServer prometheus, Traffic warmUp, Traffic measured) =>
        prometheus.WaitUntilAsync("Prometheus to have scraped every request served", async _ =>
        {
            var totals = await prometheus.QueryAsync($"sum by (destination_version) (istio_requests_total{{reporter=\"source\", destination_service=\"{ReviewsFqdn}\"}})");
            double Total(string version) => totals.Where(t => t.Labels.GetValueOrDefault("destination_version") == version).Sum(t => t.Value);
            var expected = (v1: warmUp.Served("v1"), v2: warmUp.Served("v2"));
            if (!ReferenceEquals(warmUp, measured))
            {
                expected = (expected.v1 + measured.Served("v1"), expected.v2 + measured.Served("v2"));
            }

            return Total("v1") == expected.v1 && Total("v2") == expected.v2;
        });

    /// <summary>A temporary directory, deleted with what is in it.</summary>
    private sealed class TempDirectory(string prefix) : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }

    /// <summary>Requests from productpage to reviews, counted per version that served them.</summary>
    private sealed class Traffic(Uri outbound)
    {
        private readonly Dictionary<string, int> _served = new(StringComparer.Ordinal) { ["v1"] = 0, ["v2"] = 0 };

        public int Total => Served("v1") + Served("v2");

        public int Served(string version)
        {
            lock (_served)
            {
                return _served[version];
            }
        }

        public async Task SendAsync(HttpClient http)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(outbound, "/"));
            request.Headers.Host = "reviews";
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            var version = (await response.Content.ReadAsStringAsync()).Split(' ')[0];
            lock (_served)
            {
                _served[version]++;
            }
        }

        /// <summary>One request about every 20 ms until <paramref name="stop"/>; a request under way finishes.</summary>
        public async Task RunAsync(HttpClient http, CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                await SendAsync(http);
                try
                {
                    await Task.Delay(20, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}

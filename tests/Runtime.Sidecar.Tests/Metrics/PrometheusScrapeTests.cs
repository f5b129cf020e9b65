using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Metrics;

/// <summary>
/// A real Prometheus scraping a real mesh every second answers Istio's canary query with the split the
/// VirtualService asks for, and the exact request totals per version.
/// </summary>
public sealed class PrometheusScrapeTests
{
    private const string ReviewsFqdn = "reviews.default.svc.cluster.local";
    private const int Requests = 400;

    private const string Routing = """
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
        ---
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata:
          name: reviews
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
    public async Task RequestRate_ScrapedByPrometheus_AnswersTheWeightedSplit()
    {
        await using var mesh = await MeshHarness.StartAsync();
        var reviewsV1 = await mesh.StartSidecarAsync("reviews", await mesh.StartAppAsync("v1"), labels: ["app=reviews", "version=v1"]);
        var reviewsV2 = await mesh.StartSidecarAsync("reviews", await mesh.StartAppAsync("v2"), labels: ["app=reviews", "version=v2"]);
        var productpage = await mesh.StartSidecarAsync("productpage", null, labels: ["app=productpage", "version=v1"]);
        await MeshHarness.WaitForEndpointsAsync(productpage, ReviewsFqdn, 2);
        await mesh.ApplyAsync(Routing);
        await MeshHarness.WaitForConfigAsync(productpage, "\"weight\": 90");

        await using var prometheus = await PrometheusServer.StartAsync(
            [
                new("sidecars", "/stats/prometheus", [productpage.AdminAddress, reviewsV1.AdminAddress, reviewsV2.AdminAddress]),
                new("control-plane", "/metrics", [mesh.Silo!.HttpAddress]),
            ],
            TimeSpan.FromSeconds(1));
        await prometheus.WaitForTargetsUpAsync(4);

        using var client = new HttpClient { Timeout = TestTimeouts.Default };
        var served = new Dictionary<string, int> { ["v1"] = 0, ["v2"] = 0 };
        async Task SendAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(productpage.OutboundAddress, "/"));
            request.Headers.Host = "reviews";
            using var response = await client.SendAsync(request);
            response.EnsureSuccessStatusCode();
            served[(await response.Content.ReadAsStringAsync()).Split(' ')[0]]++;
        }

        // Both versions' series exist before the measured traffic, and Prometheus holds a sample of each, so rate()
        // sees the whole measured traffic as an increase rather than as a series appearing.
        while (served["v1"] == 0 || served["v2"] == 0)
        {
            await SendAsync();
        }

        await WaitForTotalsAsync(prometheus, served, "source");
        await WaitForTotalsAsync(prometheus, served, "destination");

        // Spread over ~8 s (eight scrapes), so each series has many samples and rate()'s extrapolation to the window
        // edges (at most half a scrape interval on each side) is small against the sampled span.
        for (var i = 0; i < Requests; i++)
        {
            await SendAsync();
            await Task.Delay(20);
        }

        // Exact totals: what Prometheus scraped from the client sidecar, and from each server sidecar, equals what each
        // version's app served.
        await WaitForTotalsAsync(prometheus, served, "source");
        await WaitForTotalsAsync(prometheus, served, "destination");

        // The served split itself is random (weighted picks): 10% of ~400 has a binomial standard deviation of 1.5
        // points, so 2.5%..17.5% is five of them on either side.
        var total = served["v1"] + served["v2"];
        var servedShare = served["v2"] / (double)total;
        Assert.InRange(servedShare, 0.025, 0.175);

        // The Done-means query (both reporters). Its share of v2 must match what was served: rate() over the same
        // window divides both versions' increases by the same duration, and the only difference left is the
        // extrapolation of each series to the window edges, at most half a 1 s scrape interval per edge over a
        // sampled span of about 8 s, i.e. a few percent of the share itself (0.3 points of a 10% share). 2 points
        // of tolerance leaves room for a scrape that ran late on a loaded machine.
        var rates = await prometheus.QueryAsync($"sum(rate(istio_requests_total{{destination_service=~\"reviews.*\"}}[1m])) by (destination_version)");
        var rateShare = Value(rates, "v2") / (Value(rates, "v1") + Value(rates, "v2"));
        Assert.True(Math.Abs(rateShare - servedShare) <= 0.02, $"Prometheus answers a v2 share of {rateShare:P2}; the apps served {servedShare:P2} ({served["v2"]} of {total})\n{string.Join('\n', rates.Select(r => $"{r.Labels.GetValueOrDefault("destination_version")} {r.Value}"))}");

        // The control plane is scraped too.
        var up = await prometheus.QueryAsync("up{job=\"control-plane\"}");
        Assert.Equal(1, Assert.Single(up).Value);
    }

    private static Task WaitForTotalsAsync(PrometheusServer prometheus, Dictionary<string, int> served, string reporter) =>
        prometheus.WaitUntilAsync($"Prometheus totals v1={served["v1"]} v2={served["v2"]} (reporter={reporter})", async _ =>
        {
            var totals = await prometheus.QueryAsync($"sum(istio_requests_total{{reporter=\"{reporter}\", destination_service=\"{ReviewsFqdn}\"}}) by (destination_version)");
            return totals.Count == 2 && Value(totals, "v1") == served["v1"] && Value(totals, "v2") == served["v2"];
        });

    private static double Value(IReadOnlyList<(Dictionary<string, string> Labels, double Value)> results, string version) =>
        results.Where(r => r.Labels.GetValueOrDefault("destination_version") == version).Select(r => r.Value).DefaultIfEmpty(double.NaN).Single();
}

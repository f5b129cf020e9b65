using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Security;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Metrics;

/// <summary>A real sidecar's <c>/stats/prometheus</c>, after real traffic, passes Prometheus' own <c>promtool check metrics</c>.</summary>
public sealed class PrometheusExpositionTests
{
    [Fact]
    public async Task StatsPrometheus_AfterTraffic_AcceptedByPromtool()
    {
        await using var harness = await MeshHarness.StartAsync();
        var app = await harness.StartAppAsync("reviews");
        await harness.StartSidecarAsync("reviews", app, labels: ["app=reviews", "version=v1"]);
        var productpage = await harness.StartSidecarAsync("productpage", null, labels: ["app=productpage"]);
        await MeshHarness.WaitForEndpointsAsync(productpage, "reviews.default.svc.cluster.local", 1);
        using (var ok = await MtlsMesh.CallAsync(productpage, "reviews", "/r"))
        using (var noRoute = await MtlsMesh.CallAsync(productpage, "nowhere.example", "/"))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, ok.StatusCode);
        }

        await Eventually.Async("both requests counted", async () => (await ScrapedMetrics.ScrapeAsync(productpage)).Sum("istio_requests_total") == 2);
        var text = (await ScrapedMetrics.ScrapeAsync(productpage)).Text;

        await Promtool.AssertAcceptedAsync(text);
    }
}

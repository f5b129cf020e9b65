using System.Globalization;
using Microsoft.AspNetCore.Http;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Security;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Metrics;

/// <summary>
/// Telemetry <c>metrics</c> overrides pushed by a real control plane to two real sidecars: a disabled metric is
/// neither recorded nor exposed for that side, and a later push turns it back on.
/// </summary>
public sealed class MetricsOverridesMeshTests : IDisposable
{
    private const string ReviewsFqdn = "reviews.default.svc.cluster.local";
    private readonly DirectoryInfo _logs = Directory.CreateTempSubdirectory("mesh-metrics-overrides-");

    [Fact]
    public async Task RequestCountDisabledOnClient_ExactCounts_ReEnabledByLaterPush()
    {
        await using var harness = await MeshHarness.StartAsync();
        await using var app = await StatusApp();
        await harness.ApplyAsync("""
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: mesh-metrics, namespace: istio-system}
            spec:
              metrics:
                - providers: [{name: prometheus}]
                  overrides:
                    - match: {metric: REQUEST_COUNT, mode: CLIENT}
                      disabled: true
            """);
        var reviews = await harness.StartSidecarAsync("reviews", app, labels: ["app=reviews"]);
        var productpage = await harness.StartSidecarAsync("productpage", null, labels: ["app=productpage"]);
        await MeshHarness.WaitForEndpointsAsync(productpage, ReviewsFqdn, 1);
        await MeshHarness.WaitForConfigAsync(productpage, "mesh-metrics");

        await SendAsync(productpage, 200, 200, 500);
        // The client still records the other three metrics: once they show all three requests, it is done with them.
        await WaitForAsync(productpage, "istio_request_duration_milliseconds_count", "source", 3);
        await WaitForAsync(reviews, "istio_requests_total", "destination", 3);

        var source = await ScrapedMetrics.ScrapeAsync(productpage);
        Assert.Empty(source.Where("istio_requests_total"));
        Assert.Equal(2, source.Sum("istio_request_duration_milliseconds_count", ("response_code", "200")));
        Assert.Equal(1, source.Sum("istio_response_bytes_count", ("response_code", "500")));
        Assert.Equal(30, source.Sum("istio_response_bytes_sum"));
        var destination = await ScrapedMetrics.ScrapeAsync(reviews);
        Assert.Equal(2, destination.Sum("istio_requests_total", ("reporter", "destination"), ("response_code", "200")));
        Assert.Equal(1, destination.Sum("istio_requests_total", ("reporter", "destination"), ("response_code", "500")));

        // A namespace-wide Telemetry, applied on top of the mesh's, turns the count back on for the client.
        await harness.ApplyAsync("""
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: count-back-on, namespace: default}
            spec:
              metrics:
                - overrides:
                    - match: {metric: REQUEST_COUNT}
                      disabled: false
            """);
        await MeshHarness.WaitForConfigAsync(productpage, "count-back-on");
        await SendAsync(productpage, 200, 201);
        await WaitForAsync(productpage, "istio_request_duration_milliseconds_count", "source", 5);
        await WaitForAsync(reviews, "istio_requests_total", "destination", 5);

        source = await ScrapedMetrics.ScrapeAsync(productpage);
        // Only what was sent while the count was on.
        Assert.Equal(2, source.Sum("istio_requests_total", ("reporter", "source")));
        Assert.Equal(1, source.Sum("istio_requests_total", ("reporter", "source"), ("response_code", "200")));
        Assert.Equal(1, source.Sum("istio_requests_total", ("reporter", "source"), ("response_code", "201")));
        Assert.Equal(5, source.Sum("istio_request_duration_milliseconds_count", ("reporter", "source")));
    }

    [Fact]
    public async Task AllMetricsDisabledMeshWide_NothingRecordedOrExposed_AccessLogsStillWritten()
    {
        await using var harness = await MeshHarness.StartAsync();
        await using var app = await StatusApp();
        await harness.ApplyAsync("""
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: mesh-bare, namespace: istio-system}
            spec:
              metrics: [{overrides: [{match: {metric: ALL_METRICS, mode: CLIENT_AND_SERVER}, disabled: true}]}]
              accessLogging: [{providers: [{name: envoy}]}]
            """);
        var reviewsLog = Path.Combine(_logs.FullName, "reviews.log");
        var productpageLog = Path.Combine(_logs.FullName, "productpage.log");
        harness.ConfigureSidecar = options => options.AccessLogPath = reviewsLog;
        var reviews = await harness.StartSidecarAsync("reviews", app, labels: ["app=reviews"]);
        harness.ConfigureSidecar = options => options.AccessLogPath = productpageLog;
        var productpage = await harness.StartSidecarAsync("productpage", null, labels: ["app=productpage"]);
        await MeshHarness.WaitForEndpointsAsync(productpage, ReviewsFqdn, 1);
        await MeshHarness.WaitForConfigAsync(productpage, "mesh-bare");
        await MeshHarness.WaitForConfigAsync(reviews, "mesh-bare");

        await SendAsync(productpage, 200, 404);
        // The access log is written where the metrics would have been recorded: both lines on both sides means done.
        foreach (var log in new[] { reviewsLog, productpageLog })
        {
            await Eventually.Async($"two access-log lines in {Path.GetFileName(log)}", () =>
                Task.FromResult(File.Exists(log) && File.ReadAllLines(log).Length == 2));
        }

        foreach (var sidecar in new[] { productpage, reviews })
        {
            var metrics = await ScrapedMetrics.ScrapeAsync(sidecar);
            Assert.DoesNotContain(metrics.Samples, s => s.Name.StartsWith("istio_", StringComparison.Ordinal));
            Assert.DoesNotContain("# TYPE istio_", metrics.Text, StringComparison.Ordinal);
        }

        // The identities the access log takes from the metrics' peers are still there.
        Assert.All(File.ReadAllLines(productpageLog), line => Assert.EndsWith(" productpage.default reviews.default", line, StringComparison.Ordinal));
    }

    public void Dispose() => _logs.Delete(recursive: true);

    private static async Task SendAsync(RunningSidecar client, params int[] codes)
    {
        foreach (var code in codes)
        {
            using var response = await MtlsMesh.CallAsync(client, "reviews", "/" + code.ToString(CultureInfo.InvariantCulture));
            Assert.Equal(code, (int)response.StatusCode);
        }
    }

    private static Task WaitForAsync(RunningSidecar sidecar, string name, string reporter, int count) =>
        Eventually.Async($"{name}{{reporter=\"{reporter}\"}} = {count} at {sidecar.AdminAddress}", async () =>
            (await ScrapedMetrics.ScrapeAsync(sidecar)).Sum(name, ("reporter", reporter)) == count);

    private static Task<TestServer> StatusApp() => TestServer.StartAsync(context =>
    {
        context.Response.StatusCode = int.Parse(context.Request.Path.Value!.TrimStart('/'), CultureInfo.InvariantCulture);
        context.Response.ContentLength = 10;
        return context.Response.WriteAsync("status " + context.Response.StatusCode);
    });
}

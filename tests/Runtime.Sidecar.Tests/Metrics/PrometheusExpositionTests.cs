using System.Diagnostics;
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
        var promtool = new[] { "/usr/bin/promtool", "/usr/local/bin/promtool" }.FirstOrDefault(File.Exists);
        Assert.True(promtool is not null, "promtool not found: it comes with Debian's 'prometheus' package, which ./scripts/install-deps.sh installs (run it, or ./scripts/test.sh)");

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

        using var process = Process.Start(new ProcessStartInfo(promtool!, "check metrics")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(text);
        process.StandardInput.Close();
        await process.WaitForExitAsync().WaitAsync(TestTimeouts.Default);
        // promtool exits 1 when it cannot parse the text and 3 for lint findings. Istio's own name
        // istio_request_duration_milliseconds draws the one finding it must (Prometheus prefers seconds); any other fails.
        var findings = (await stdout + await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(f => f != "istio_request_duration_milliseconds use base unit \"seconds\" instead of \"milliseconds\"").ToArray();
        Assert.True(process.ExitCode is 0 or 3 && findings.Length == 0, $"promtool check metrics exited {process.ExitCode}: {string.Join('\n', findings)}\n--- exposition ---\n{text}");
    }
}

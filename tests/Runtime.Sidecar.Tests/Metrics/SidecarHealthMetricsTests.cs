using Microsoft.AspNetCore.Http;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Security;
using Runtime.Sidecar.Tests.Testing;
using static Runtime.Sidecar.Tests.Resilience.OutlierMeshFixture;

namespace Runtime.Sidecar.Tests.Metrics;

/// <summary>
/// The sidecar's own <c>mesh_sidecar_*</c> families on a real sidecar's <c>/stats/prometheus</c>: the config version
/// follows pushes, the certificate expiry is the certificate's NotAfter, the control-plane stream state follows the
/// control plane, and circuit-breaker overflows and outlier ejections show per cluster; promtool accepts it all.
/// </summary>
public sealed class SidecarHealthMetricsTests
{
    [Fact]
    public async Task Health_ConfigPushAndCertificate_VersionFollowsPushesExpiryIsNotAfter()
    {
        await using var mesh = await MtlsMesh.StartAsync();
        var certificates = mesh.Ca.SourceFor(TlsTestCa.SpiffeId("productpage"));
        var productpage = await mesh.StartSidecarAsync("productpage", null, "productpage", certificates, "app=productpage");
        await Eventually.Async("config applied and stream up", async () =>
            await ScrapedMetrics.ScrapeAsync(productpage) is var s && s.Where("mesh_sidecar_config_info").Any() && s.Sum("mesh_sidecar_control_plane_connected") == 1);
        var scrapeStart = DateTimeOffset.UtcNow;
        var before = await ScrapedMetrics.ScrapeAsync(productpage);
        var scrapeEnd = DateTimeOffset.UtcNow;
        var (info, infoValue) = Assert.Single(before.Where("mesh_sidecar_config_info", ("source", "control-plane")));
        Assert.Equal(1, infoValue);
        Assert.NotEqual("", info["version"]);
        var notAfter = certificates.Current!.NotAfter;
        Assert.Equal(notAfter.ToUnixTimeSeconds(), before.Sum("mesh_sidecar_certificate_expiry_timestamp_seconds"));
        var left = before.Sum("mesh_sidecar_certificate_expires_in_seconds");
        Assert.InRange(left, (notAfter - scrapeEnd).TotalSeconds, (notAfter - scrapeStart).TotalSeconds);
        Assert.Single(before.Where("mesh_sidecar_trust_bundle_generation"));
        var applied = before.Sum("mesh_sidecar_config_applied_timestamp_seconds");
        Assert.InRange(applied, 1, scrapeEnd.ToUnixTimeMilliseconds() / 1000.0);
        Assert.InRange(before.Sum("mesh_sidecar_config_age_seconds"), 0, (scrapeEnd.ToUnixTimeMilliseconds() / 1000.0) - applied + 0.001); // both rounded down to the millisecond

        await mesh.Harness.ApplyAsync("""
            apiVersion: networking.istio.io/v1beta1
            kind: DestinationRule
            metadata:
              name: health-push
            spec:
              host: reviews
            """);
        await MeshHarness.WaitForConfigAsync(productpage, "health-push");
        var after = await ScrapedMetrics.ScrapeAsync(productpage);
        var (pushed, _) = Assert.Single(after.Where("mesh_sidecar_config_info"));
        Assert.NotEqual(info["version"], pushed["version"]);
        Assert.True(after.Sum("mesh_sidecar_config_revision") > before.Sum("mesh_sidecar_config_revision"), "the store revision grows with the push");
        Assert.True(after.Sum("mesh_sidecar_config_applied_timestamp_seconds") >= before.Sum("mesh_sidecar_config_applied_timestamp_seconds"));
        await Promtool.AssertAcceptedAsync(after.Text);

        // Without a control plane the stream is down; the config in use (and its metrics) stays.
        await mesh.Harness.StopSiloAsync();
        await Eventually.Async("stream reported down", async () => (await ScrapedMetrics.ScrapeAsync(productpage)).Where("mesh_sidecar_control_plane_connected").Single().Value == 0);
        Assert.Equal(pushed["version"], (await ScrapedMetrics.ScrapeAsync(productpage)).Where("mesh_sidecar_config_info").Single().Labels["version"]);
    }

    [Fact]
    public async Task Health_NoCertificate_ExpiryFamiliesAbsent()
    {
        await using var mesh = await MeshHarness.StartAsync();
        var productpage = await mesh.StartSidecarAsync("productpage", null); // no bootstrap token: plaintext, no certificate
        await Eventually.Async("config applied", async () => (await ScrapedMetrics.ScrapeAsync(productpage)).Where("mesh_sidecar_config_info").Any());
        var scrape = await ScrapedMetrics.ScrapeAsync(productpage);
        Assert.Single(scrape.Where("mesh_sidecar_trust_bundle_generation"));
        Assert.Empty(scrape.Where("mesh_sidecar_certificate_expiry_timestamp_seconds"));
        Assert.DoesNotContain("mesh_sidecar_certificate_expires_in_seconds", scrape.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_PoolOverflowAndOutlierEjection_CountedPerClusterAndAcceptedByPromtool()
    {
        await using var mesh = await MeshHarness.StartAsync();
        var release = new Gate();
        var arrivals = 0;
        await using var app = await TestServer.StartAsync(async context =>
        {
            if (context.Request.Path == "/hold")
            {
                Interlocked.Increment(ref arrivals);
                await release.WaitAsync(context.RequestAborted);
            }

            context.Response.StatusCode = context.Request.Path == "/fail" ? 500 : 200;
            await context.Response.WriteAsync("reviews " + context.Request.Path);
        });
        await mesh.StartSidecarAsync("reviews", app, labels: ["app=reviews"]);
        var client = await mesh.StartSidecarAsync("productpage", null);
        await MeshHarness.WaitForEndpointsAsync(client, ReviewsFqdn, 1);
        await mesh.ApplyAsync("""
            apiVersion: networking.istio.io/v1beta1
            kind: DestinationRule
            metadata:
              name: reviews-health
            spec:
              host: reviews
              trafficPolicy:
                connectionPool:
                  http: { http2MaxRequests: 2 }
                outlierDetection:
                  consecutive5xxErrors: 1
                  interval: 1s
                  baseEjectionTime: 120s
                  maxEjectionPercent: 100
            """);
        await MeshHarness.WaitForConfigAsync(client, "reviews-health");
        using var http = NewClient();

        var held = new[] { GetAsync(http, client, "/hold"), GetAsync(http, client, "/hold") };
        await Eventually.Async("2 held requests at the app", () => Task.FromResult(Volatile.Read(ref arrivals) == 2));
        var overflow = await GetAsync(http, client, "/fast");
        Assert.Equal((503, "UO"), (overflow.Status, overflow.Reason));
        var during = await ScrapedMetrics.ScrapeAsync(client);
        var cluster = Assert.Single(during.Where("mesh_sidecar_cluster_active_requests")).Labels["cluster_name"];
        Assert.Contains(ReviewsFqdn, cluster, StringComparison.Ordinal);
        var inCluster = ("cluster_name", cluster);
        Assert.Equal(2, during.Sum("mesh_sidecar_cluster_active_requests", inCluster));
        Assert.Equal(1, during.Sum("mesh_sidecar_cluster_overflows_total", inCluster, ("limit", "requests")));
        Assert.Equal(0, during.Sum("mesh_sidecar_cluster_overflows_total", inCluster, ("limit", "pending")));
        Assert.Equal(0, during.Sum("mesh_sidecar_outlier_ejected_endpoints", inCluster));

        release.Open();
        Assert.All(await Task.WhenAll(held).Within(), r => Assert.Equal(200, r.Status));
        Assert.Equal(500, (await GetAsync(http, client, "/fail")).Status);
        await Eventually.Async("the endpoint ejected", async () => (await ScrapedMetrics.ScrapeAsync(client)).Sum("mesh_sidecar_outlier_ejected_endpoints", inCluster) == 1);
        var after = await ScrapedMetrics.ScrapeAsync(client);
        Assert.Equal(1, after.Sum("mesh_sidecar_outlier_ejections_total", inCluster));
        Assert.Equal(0, after.Sum("mesh_sidecar_cluster_active_requests", inCluster));
        Assert.Equal(1, after.Sum("mesh_sidecar_cluster_overflows_total", inCluster, ("limit", "requests")));
        await Promtool.AssertAcceptedAsync(after.Text);
    }
}
